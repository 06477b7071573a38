-- data-loss: drops table Invitation; drops columns Organization.currency, locale, timeZone, updatedAt and User.deactivatedAt; takes the role PLATFORM_OPERATOR away from every user and API key holding it
-- Undoes 20261205080313_admin_back_office.
-- Invitation goes first: its "roles" column would otherwise keep the old Role type alive.
DROP TABLE "Invitation";

DROP INDEX "User_orgId_id_idx";
CREATE INDEX "User_orgId_idx" ON "User"("orgId");

ALTER TABLE "Organization" DROP COLUMN "currency",
DROP COLUMN "locale",
DROP COLUMN "timeZone",
DROP COLUMN "updatedAt";

ALTER TABLE "User" DROP COLUMN "deactivatedAt";

-- PostgreSQL cannot drop an enum value: build the type without it and move the columns over,
-- removing the value from arrays that hold it so the cast cannot fail.
CREATE TYPE "Role_new" AS ENUM ('ADMIN', 'DISPATCHER', 'CUSTOMER', 'DRIVER', 'FINANCE', 'AUDITOR', 'PARTNER');
ALTER TABLE "ApiKey" ALTER COLUMN "roles" TYPE "Role_new"[] USING (array_remove("roles"::text[], 'PLATFORM_OPERATOR')::"Role_new"[]);
ALTER TABLE "User" ALTER COLUMN "roles" TYPE "Role_new"[] USING (array_remove("roles"::text[], 'PLATFORM_OPERATOR')::"Role_new"[]);
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
