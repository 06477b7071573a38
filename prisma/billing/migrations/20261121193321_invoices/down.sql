-- data-loss: drops tables BillingSettings, CustomerTaxId, DeliveredOrder, Invoice, InvoiceCounter, InvoiceLine
-- Undoes 20261121193321_invoices.
-- DropForeignKey
ALTER TABLE "InvoiceLine" DROP CONSTRAINT "InvoiceLine_invoiceId_fkey";

-- DropTable
DROP TABLE "BillingSettings";

-- DropTable
DROP TABLE "CustomerTaxId";

-- DropTable
DROP TABLE "DeliveredOrder";

-- DropTable
DROP TABLE "Invoice";

-- DropTable
DROP TABLE "InvoiceCounter";

-- DropTable
DROP TABLE "InvoiceLine";

-- DropEnum
DROP TYPE "ConsolidationPeriod";

-- DropEnum
DROP TYPE "InvoiceKind";

-- DropEnum
DROP TYPE "InvoiceStatus";

-- DropEnum
DROP TYPE "InvoicingMode";

-- DropEnum
DROP TYPE "TaxIdScheme";

-- DropEnum
DROP TYPE "VatCategory";
