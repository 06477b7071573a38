-- DropIndex
DROP INDEX "Order_orgId_reference_key";

-- CreateIndex
CREATE UNIQUE INDEX "Order_orgId_customerId_reference_key" ON "Order"("orgId", "customerId", "reference");
