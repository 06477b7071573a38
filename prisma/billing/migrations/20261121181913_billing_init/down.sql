-- data-loss: drops tables InboxEvent, OutboxEvent, PlannedDistance, Quote, RateCard, RateCardVersion
-- Undoes 20261121181913_billing_init.
-- DropForeignKey
ALTER TABLE "RateCardVersion" DROP CONSTRAINT "RateCardVersion_rateCardId_fkey";

-- DropTable
DROP TABLE "InboxEvent";

-- DropTable
DROP TABLE "OutboxEvent";

-- DropTable
DROP TABLE "PlannedDistance";

-- DropTable
DROP TABLE "Quote";

-- DropTable
DROP TABLE "RateCard";

-- DropTable
DROP TABLE "RateCardVersion";

-- DropEnum
DROP TYPE "DistanceSource";
