-- AlterTable
ALTER TABLE "Driver" ADD COLUMN     "deactivatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "isDriver" BOOLEAN NOT NULL DEFAULT true;
