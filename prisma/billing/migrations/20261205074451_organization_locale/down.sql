-- data-loss: drops table OrganizationLocale
-- Undoes 20261205074451_organization_locale.
-- DropTable
DROP TABLE "OrganizationLocale";
