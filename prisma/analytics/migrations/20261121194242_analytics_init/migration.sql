-- CreateTable
CREATE TABLE "OrderFact" (
    "orderId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "customerId" UUID,
    "createdAt" TIMESTAMPTZ(3),
    "weightKg" DECIMAL(12,3),
    "windowStart" TIMESTAMPTZ(3),
    "windowEnd" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "quoteTotal" DECIMAL(14,2),
    "quoteCurrency" CHAR(3),
    "quoteDistanceKm" DECIMAL(10,3),
    "quoteAt" TIMESTAMPTZ(3),
    "quoteEventId" TEXT,

    CONSTRAINT "OrderFact_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "FailureFact" (
    "stopId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "routeId" UUID NOT NULL,
    "failedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FailureFact_pkey" PRIMARY KEY ("stopId")
);

-- CreateTable
CREATE TABLE "RouteFact" (
    "routeId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "date" TIMESTAMPTZ(3) NOT NULL,
    "distanceKm" DECIMAL(10,3) NOT NULL,
    "stops" INTEGER NOT NULL,
    "plannedAt" TIMESTAMPTZ(3) NOT NULL,
    "plannedEventId" TEXT NOT NULL,

    CONSTRAINT "RouteFact_pkey" PRIMARY KEY ("routeId")
);

-- CreateTable
CREATE TABLE "RouteStopFact" (
    "routeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "orgId" UUID NOT NULL,

    CONSTRAINT "RouteStopFact_pkey" PRIMARY KEY ("routeId","orderId")
);

-- CreateTable
CREATE TABLE "InvoiceFact" (
    "invoiceId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customerId" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "subtotal" DECIMAL(14,2) NOT NULL,
    "tax" DECIMAL(14,2) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "issuedAt" TIMESTAMPTZ(3),
    "paidAt" TIMESTAMPTZ(3),
    "voidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InvoiceFact_pkey" PRIMARY KEY ("invoiceId")
);

-- CreateTable
CREATE TABLE "OrganizationFact" (
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,

    CONSTRAINT "OrganizationFact_pkey" PRIMARY KEY ("orgId")
);

-- CreateTable
CREATE TABLE "EventLog" (
    "seq" BIGSERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "envelope" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventLog_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxEvent_pkey" PRIMARY KEY ("consumer","event_id")
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

-- CreateIndex
CREATE INDEX "OrderFact_orgId_createdAt_idx" ON "OrderFact"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "OrderFact_orgId_deliveredAt_idx" ON "OrderFact"("orgId", "deliveredAt");

-- CreateIndex
CREATE INDEX "OrderFact_orgId_cancelledAt_idx" ON "OrderFact"("orgId", "cancelledAt");

-- CreateIndex
CREATE INDEX "FailureFact_orgId_failedAt_idx" ON "FailureFact"("orgId", "failedAt");

-- CreateIndex
CREATE INDEX "RouteFact_orgId_date_idx" ON "RouteFact"("orgId", "date");

-- CreateIndex
CREATE INDEX "InvoiceFact_orgId_issuedAt_idx" ON "InvoiceFact"("orgId", "issuedAt");

-- CreateIndex
CREATE INDEX "InvoiceFact_orgId_paidAt_idx" ON "InvoiceFact"("orgId", "paidAt");

-- CreateIndex
CREATE UNIQUE INDEX "EventLog_eventId_key" ON "EventLog"("eventId");

-- CreateIndex
CREATE INDEX "EventLog_orgId_seq_idx" ON "EventLog"("orgId", "seq");

-- CreateIndex
CREATE INDEX "OutboxEvent_sent_at_id_idx" ON "OutboxEvent"("sent_at", "id");
