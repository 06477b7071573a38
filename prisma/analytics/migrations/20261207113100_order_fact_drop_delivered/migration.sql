-- The covering index starts with the same columns, so this one only cost writes.
DROP INDEX CONCURRENTLY "OrderFact_orgId_deliveredAt_idx";
