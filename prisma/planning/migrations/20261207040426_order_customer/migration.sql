-- AlterTable
ALTER TABLE "PlanningOrder" ADD COLUMN     "customerId" UUID;
