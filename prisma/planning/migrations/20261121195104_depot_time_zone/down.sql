-- data-loss: drops column Depot.timeZone
-- Undoes 20261121195104_depot_time_zone.
-- AlterTable
ALTER TABLE "Depot" DROP COLUMN "timeZone";
