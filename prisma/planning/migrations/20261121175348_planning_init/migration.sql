-- CreateEnum
CREATE TYPE "RouteStatus" AS ENUM ('PLANNED', 'IN_PROGRESS', 'COMPLETED');

-- CreateEnum
CREATE TYPE "StopStatus" AS ENUM ('PENDING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "PoolStatus" AS ENUM ('PENDING', 'PLANNED', 'DELIVERED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Depot" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "line1" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "postalCode" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "lon" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Depot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vehicle" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "plate" TEXT NOT NULL,
    "capacityKg" DECIMAL(12,3) NOT NULL,
    "capacityM3" DECIMAL(10,3),
    "shiftStartMin" INTEGER NOT NULL,
    "shiftEndMin" INTEGER NOT NULL,
    "costPerKm" DECIMAL(12,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "homeDepotId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Vehicle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Route" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "depotId" UUID NOT NULL,
    "driverId" UUID,
    "date" DATE NOT NULL,
    "status" "RouteStatus" NOT NULL DEFAULT 'PLANNED',
    "distanceKm" DOUBLE PRECISION NOT NULL,
    "durationMin" DOUBLE PRECISION NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Route_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Stop" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "routeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "lon" DOUBLE PRECISION NOT NULL,
    "weightKg" DECIMAL(12,3) NOT NULL,
    "plannedArrival" TIMESTAMPTZ(3) NOT NULL,
    "serviceTimeMin" INTEGER NOT NULL,
    "windowStart" TIMESTAMPTZ(3),
    "windowEnd" TIMESTAMPTZ(3),
    "status" "StopStatus" NOT NULL DEFAULT 'PENDING',
    "recipientName" TEXT,
    "signatureRef" TEXT,
    "photoRef" TEXT,
    "completedAt" TIMESTAMPTZ(3),
    "failedAt" TIMESTAMPTZ(3),
    "failureReason" TEXT,

    CONSTRAINT "Stop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanningOrder" (
    "orderId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "reference" TEXT,
    "pickupLat" DOUBLE PRECISION NOT NULL,
    "pickupLon" DOUBLE PRECISION NOT NULL,
    "dropoffLine1" TEXT NOT NULL,
    "dropoffCity" TEXT NOT NULL,
    "dropoffLat" DOUBLE PRECISION NOT NULL,
    "dropoffLon" DOUBLE PRECISION NOT NULL,
    "weightKg" DECIMAL(12,3) NOT NULL,
    "volumeM3" DECIMAL(12,6),
    "windowStart" TIMESTAMPTZ(3),
    "windowEnd" TIMESTAMPTZ(3),
    "status" "PoolStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PlanningOrder_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "Driver" (
    "userId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Driver_pkey" PRIMARY KEY ("userId")
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
CREATE INDEX "Depot_orgId_id_idx" ON "Depot"("orgId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Depot_orgId_name_key" ON "Depot"("orgId", "name");

-- CreateIndex
CREATE INDEX "Vehicle_orgId_homeDepotId_idx" ON "Vehicle"("orgId", "homeDepotId");

-- CreateIndex
CREATE UNIQUE INDEX "Vehicle_orgId_plate_key" ON "Vehicle"("orgId", "plate");

-- CreateIndex
CREATE INDEX "Route_orgId_date_id_idx" ON "Route"("orgId", "date", "id");

-- CreateIndex
CREATE INDEX "Route_orgId_driverId_id_idx" ON "Route"("orgId", "driverId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Route_vehicleId_date_key" ON "Route"("vehicleId", "date");

-- CreateIndex
CREATE INDEX "Stop_routeId_sequence_idx" ON "Stop"("routeId", "sequence");

-- CreateIndex
CREATE INDEX "Stop_orgId_orderId_id_idx" ON "Stop"("orgId", "orderId", "id");

-- CreateIndex
CREATE INDEX "PlanningOrder_orgId_status_orderId_idx" ON "PlanningOrder"("orgId", "status", "orderId");

-- CreateIndex
CREATE INDEX "Driver_orgId_idx" ON "Driver"("orgId");

-- CreateIndex
CREATE INDEX "OutboxEvent_sent_at_id_idx" ON "OutboxEvent"("sent_at", "id");

-- AddForeignKey
ALTER TABLE "Vehicle" ADD CONSTRAINT "Vehicle_homeDepotId_fkey" FOREIGN KEY ("homeDepotId") REFERENCES "Depot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Route" ADD CONSTRAINT "Route_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "Vehicle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Route" ADD CONSTRAINT "Route_depotId_fkey" FOREIGN KEY ("depotId") REFERENCES "Depot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Stop" ADD CONSTRAINT "Stop_routeId_fkey" FOREIGN KEY ("routeId") REFERENCES "Route"("id") ON DELETE CASCADE ON UPDATE CASCADE;
