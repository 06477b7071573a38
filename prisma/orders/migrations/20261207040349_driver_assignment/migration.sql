-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "driverId" UUID,
ADD COLUMN     "routeAssignedAt" TIMESTAMPTZ(3),
ADD COLUMN     "routeId" UUID;

-- CreateIndex
CREATE INDEX "Order_orgId_driverId_id_idx" ON "Order"("orgId", "driverId", "id");

-- CreateIndex
CREATE INDEX "Order_orgId_routeId_idx" ON "Order"("orgId", "routeId");
