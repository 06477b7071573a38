-- data-loss: drops tables InboxEvent, OutboxEvent, WebhookDelivery, WebhookEndpoint, WebhookOrder
-- Undoes 20261205115248_webhooks_init.
-- DropForeignKey
ALTER TABLE "WebhookDelivery" DROP CONSTRAINT "WebhookDelivery_endpointId_fkey";

-- DropTable
DROP TABLE "InboxEvent";

-- DropTable
DROP TABLE "OutboxEvent";

-- DropTable
DROP TABLE "WebhookDelivery";

-- DropTable
DROP TABLE "WebhookEndpoint";

-- DropTable
DROP TABLE "WebhookOrder";

-- DropEnum
DROP TYPE "WebhookDeliveryStatus";

-- DropEnum
DROP TYPE "WebhookScope";
