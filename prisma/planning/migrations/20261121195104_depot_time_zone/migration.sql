-- AlterTable
ALTER TABLE "Depot" ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';
