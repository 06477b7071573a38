-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('CREATED', 'PLANNED', 'IN_TRANSIT', 'DELIVERED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Order" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "reference" TEXT,
    "status" "OrderStatus" NOT NULL DEFAULT 'CREATED',
    "pickupLine1" TEXT NOT NULL,
    "pickupCity" TEXT NOT NULL,
    "pickupPostalCode" TEXT NOT NULL,
    "pickupCountry" CHAR(2) NOT NULL,
    "pickupLat" DOUBLE PRECISION NOT NULL,
    "pickupLon" DOUBLE PRECISION NOT NULL,
    "dropoffLine1" TEXT NOT NULL,
    "dropoffCity" TEXT NOT NULL,
    "dropoffPostalCode" TEXT NOT NULL,
    "dropoffCountry" CHAR(2) NOT NULL,
    "dropoffLat" DOUBLE PRECISION NOT NULL,
    "dropoffLon" DOUBLE PRECISION NOT NULL,
    "weightKg" DECIMAL(12,3) NOT NULL,
    "windowStart" TIMESTAMPTZ(3),
    "windowEnd" TIMESTAMPTZ(3),
    "cancellationReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Parcel" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "weightKg" DECIMAL(12,3) NOT NULL,
    "lengthCm" DECIMAL(10,1),
    "widthCm" DECIMAL(10,1),
    "heightCm" DECIMAL(10,1),

    CONSTRAINT "Parcel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderStatusChange" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "from" "OrderStatus",
    "to" "OrderStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actorId" UUID,
    "reason" TEXT,

    CONSTRAINT "OrderStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Order_orgId_id_idx" ON "Order"("orgId", "id");

-- CreateIndex
CREATE INDEX "Order_orgId_status_id_idx" ON "Order"("orgId", "status", "id");

-- CreateIndex
CREATE INDEX "Order_orgId_customerId_id_idx" ON "Order"("orgId", "customerId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Order_orgId_reference_key" ON "Order"("orgId", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "Parcel_orderId_position_key" ON "Parcel"("orderId", "position");

-- CreateIndex
CREATE INDEX "OrderStatusChange_orderId_at_idx" ON "OrderStatusChange"("orderId", "at");

-- AddForeignKey
ALTER TABLE "Parcel" ADD CONSTRAINT "Parcel_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderStatusChange" ADD CONSTRAINT "OrderStatusChange_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
