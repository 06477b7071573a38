-- CreateEnum
CREATE TYPE "DistanceSource" AS ENUM ('DIRECT', 'PLANNED', 'GIVEN');

-- CreateTable
CREATE TABLE "RateCard" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RateCard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateCardVersion" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "rateCardId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "effectiveFrom" TIMESTAMPTZ(3) NOT NULL,
    "effectiveTo" TIMESTAMPTZ(3),
    "rules" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RateCardVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Quote" (
    "orderId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "rateCardVersionId" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "lines" JSONB NOT NULL,
    "distanceKm" DECIMAL(10,3) NOT NULL,
    "distanceSource" "DistanceSource" NOT NULL,
    "chargeableWeightKg" DECIMAL(12,3) NOT NULL,
    "facts" JSONB NOT NULL,
    "billable" BOOLEAN NOT NULL DEFAULT true,
    "pricedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Quote_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "PlannedDistance" (
    "orderId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "routeId" UUID NOT NULL,
    "distanceKm" DECIMAL(10,3) NOT NULL,

    CONSTRAINT "PlannedDistance_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(6),

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxEvent_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "RateCard_orgId_isDefault_idx" ON "RateCard"("orgId", "isDefault");

-- CreateIndex
CREATE UNIQUE INDEX "RateCard_orgId_code_key" ON "RateCard"("orgId", "code");

-- CreateIndex
CREATE INDEX "RateCardVersion_orgId_rateCardId_idx" ON "RateCardVersion"("orgId", "rateCardId");

-- CreateIndex
CREATE UNIQUE INDEX "RateCardVersion_rateCardId_version_key" ON "RateCardVersion"("rateCardId", "version");

-- CreateIndex
CREATE INDEX "Quote_orgId_customerId_idx" ON "Quote"("orgId", "customerId");

-- CreateIndex
CREATE INDEX "OutboxEvent_sent_at_id_idx" ON "OutboxEvent"("sent_at", "id");

-- AddForeignKey
ALTER TABLE "RateCardVersion" ADD CONSTRAINT "RateCardVersion_rateCardId_fkey" FOREIGN KEY ("rateCardId") REFERENCES "RateCard"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
