-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" UUID NOT NULL,
    "orgId" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL,
    "actorId" TEXT,
    "actorRoles" TEXT[],
    "entityType" TEXT,
    "entityId" TEXT,
    "relatedIds" TEXT[],
    "operation" TEXT,
    "outcome" TEXT,
    "requestId" TEXT,
    "traceparent" TEXT,
    "data" JSONB NOT NULL,
    "prevHash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditChain" (
    "orgId" TEXT NOT NULL,
    "headSequence" BIGINT NOT NULL DEFAULT 0,
    "headHash" CHAR(64) NOT NULL,
    "prunedThrough" BIGINT NOT NULL DEFAULT 0,
    "anchorHash" CHAR(64) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditChain_pkey" PRIMARY KEY ("orgId")
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
CREATE UNIQUE INDEX "AuditEntry_eventId_key" ON "AuditEntry"("eventId");

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_entityType_entityId_sequence_idx" ON "AuditEntry"("orgId", "entityType", "entityId", "sequence");

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_actorId_sequence_idx" ON "AuditEntry"("orgId", "actorId", "sequence");

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_eventType_sequence_idx" ON "AuditEntry"("orgId", "eventType", "sequence");

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_occurredAt_idx" ON "AuditEntry"("orgId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_recordedAt_idx" ON "AuditEntry"("orgId", "recordedAt");

-- CreateIndex
CREATE INDEX "AuditEntry_relatedIds_idx" ON "AuditEntry" USING GIN ("relatedIds");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_orgId_sequence_key" ON "AuditEntry"("orgId", "sequence");

-- CreateIndex
CREATE INDEX "OutboxEvent_sent_at_id_idx" ON "OutboxEvent"("sent_at", "id");
