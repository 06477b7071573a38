CREATE INDEX CONCURRENTLY "OrderFact_orgId_deliveredAt_idx" ON "OrderFact"("orgId", "deliveredAt");
