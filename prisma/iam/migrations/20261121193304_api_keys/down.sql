-- data-loss: drops table ApiKey
-- Undoes 20261121193304_api_keys.
-- DropForeignKey
ALTER TABLE "ApiKey" DROP CONSTRAINT "ApiKey_orgId_fkey";

-- DropTable
DROP TABLE "ApiKey";
