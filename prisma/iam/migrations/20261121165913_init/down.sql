-- data-loss: drops tables Organization, RefreshToken, SigningKey, User
-- Undoes 20261121165913_init.
-- DropForeignKey
ALTER TABLE "RefreshToken" DROP CONSTRAINT "RefreshToken_userId_fkey";

-- DropForeignKey
ALTER TABLE "User" DROP CONSTRAINT "User_orgId_fkey";

-- DropTable
DROP TABLE "Organization";

-- DropTable
DROP TABLE "RefreshToken";

-- DropTable
DROP TABLE "SigningKey";

-- DropTable
DROP TABLE "User";

-- DropEnum
DROP TYPE "Role";
