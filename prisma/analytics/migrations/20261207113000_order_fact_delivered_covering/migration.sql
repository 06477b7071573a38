-- The on-time KPI reads deliveries in a range with their windows: with the windows in the index it
-- is an index-only scan instead of a heap fetch per delivered order. CONCURRENTLY, so a large live
-- table keeps taking writes while it builds; one statement, so it runs outside a transaction.
CREATE INDEX CONCURRENTLY "OrderFact_orgId_deliveredAt_windowStart_windowEnd_idx" ON "OrderFact"("orgId", "deliveredAt", "windowStart", "windowEnd");
