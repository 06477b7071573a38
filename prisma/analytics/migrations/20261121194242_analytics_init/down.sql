-- data-loss: drops table EventLog; drops table FailureFact; drops table InboxEvent; drops table InvoiceFact; drops table OrderFact; drops table OrganizationFact; drops table OutboxEvent; drops table RouteFact; drops table RouteStopFact
-- Undoes 20261121194242_analytics_init.
-- DropTable
DROP TABLE "EventLog";

-- DropTable
DROP TABLE "FailureFact";

-- DropTable
DROP TABLE "InboxEvent";

-- DropTable
DROP TABLE "InvoiceFact";

-- DropTable
DROP TABLE "OrderFact";

-- DropTable
DROP TABLE "OrganizationFact";

-- DropTable
DROP TABLE "OutboxEvent";

-- DropTable
DROP TABLE "RouteFact";

-- DropTable
DROP TABLE "RouteStopFact";
