-- data-loss: drops tables Depot, Driver, InboxEvent, OutboxEvent, PlanningOrder, Route, Stop, Vehicle
-- Undoes 20261121175348_planning_init.
-- DropForeignKey
ALTER TABLE "Route" DROP CONSTRAINT "Route_depotId_fkey";

-- DropForeignKey
ALTER TABLE "Route" DROP CONSTRAINT "Route_vehicleId_fkey";

-- DropForeignKey
ALTER TABLE "Stop" DROP CONSTRAINT "Stop_routeId_fkey";

-- DropForeignKey
ALTER TABLE "Vehicle" DROP CONSTRAINT "Vehicle_homeDepotId_fkey";

-- DropTable
DROP TABLE "Depot";

-- DropTable
DROP TABLE "Driver";

-- DropTable
DROP TABLE "InboxEvent";

-- DropTable
DROP TABLE "OutboxEvent";

-- DropTable
DROP TABLE "PlanningOrder";

-- DropTable
DROP TABLE "Route";

-- DropTable
DROP TABLE "Stop";

-- DropTable
DROP TABLE "Vehicle";

-- DropEnum
DROP TYPE "PoolStatus";

-- DropEnum
DROP TYPE "RouteStatus";

-- DropEnum
DROP TYPE "StopStatus";
