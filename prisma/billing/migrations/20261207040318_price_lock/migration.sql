-- CreateEnum
CREATE TYPE "QuoteReason" AS ENUM ('CHECKOUT', 'PLANNED_DISTANCE', 'LOCK_EXPIRED');

-- AlterTable
ALTER TABLE "BillingSettings" ADD COLUMN     "quoteValidityDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "repriceOnPlanning" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Quote" ADD COLUMN     "costDistanceKm" DECIMAL(10,3),
ADD COLUMN     "costToServe" DECIMAL(14,2),
ADD COLUMN     "costedAt" TIMESTAMPTZ(3),
ADD COLUMN     "lockedUntil" TIMESTAMPTZ(3),
ADD COLUMN     "reason" "QuoteReason" NOT NULL DEFAULT 'CHECKOUT',
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;
