-- CreateTable
CREATE TABLE "OrganizationLocale" (
    "orgId" UUID NOT NULL,
    "locale" TEXT NOT NULL,
    "asOf" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OrganizationLocale_pkey" PRIMARY KEY ("orgId")
);
