-- CreateEnum
CREATE TYPE "InvoicingMode" AS ENUM ('PER_ORDER', 'CONSOLIDATED');

-- CreateEnum
CREATE TYPE "ConsolidationPeriod" AS ENUM ('WEEK', 'MONTH');

-- CreateEnum
CREATE TYPE "VatCategory" AS ENUM ('STANDARD', 'REDUCED', 'SUPER_REDUCED', 'ZERO', 'EXEMPT');

-- CreateEnum
CREATE TYPE "InvoiceKind" AS ENUM ('INVOICE', 'CREDIT_NOTE');

-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('DRAFT', 'ISSUED', 'PAID', 'VOID');

-- CreateEnum
CREATE TYPE "TaxIdScheme" AS ENUM ('VAT', 'TIN', 'BIN');

-- CreateTable
CREATE TABLE "BillingSettings" (
    "orgId" UUID NOT NULL,
    "invoicingMode" "InvoicingMode" NOT NULL DEFAULT 'PER_ORDER',
    "consolidationPeriod" "ConsolidationPeriod" NOT NULL DEFAULT 'MONTH',
    "vatSet" TEXT NOT NULL,
    "vatRates" JSONB NOT NULL,
    "defaultVatCategory" "VatCategory" NOT NULL DEFAULT 'STANDARD',
    "fiscalYearStartMonth" INTEGER NOT NULL DEFAULT 1,
    "numberPattern" TEXT NOT NULL,
    "invoiceSeries" TEXT NOT NULL,
    "creditNoteSeries" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BillingSettings_pkey" PRIMARY KEY ("orgId")
);

-- CreateTable
CREATE TABLE "Invoice" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "kind" "InvoiceKind" NOT NULL DEFAULT 'INVOICE',
    "status" "InvoiceStatus" NOT NULL DEFAULT 'DRAFT',
    "currency" CHAR(3) NOT NULL,
    "subtotal" DECIMAL(14,2) NOT NULL,
    "tax" DECIMAL(14,2) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "draftKey" TEXT,
    "periodStart" TIMESTAMPTZ(3),
    "periodEnd" TIMESTAMPTZ(3),
    "series" TEXT,
    "fiscalYear" INTEGER,
    "sequence" INTEGER,
    "number" TEXT,
    "customerTaxIds" JSONB,
    "creditsInvoiceId" UUID,
    "reason" TEXT,
    "issuedAt" TIMESTAMPTZ(3),
    "paidAt" TIMESTAMPTZ(3),
    "voidedAt" TIMESTAMPTZ(3),
    "voidReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceLine" (
    "id" UUID NOT NULL,
    "invoiceId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "orderId" UUID,
    "description" TEXT NOT NULL,
    "quantity" DECIMAL(12,3) NOT NULL,
    "unitPrice" DECIMAL(14,2) NOT NULL,
    "vatCategory" "VatCategory" NOT NULL,
    "vatRate" DECIMAL(5,2) NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "taxAmount" DECIMAL(14,2) NOT NULL,
    "pricing" JSONB,
    "creditsLineId" UUID,

    CONSTRAINT "InvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceCounter" (
    "orgId" UUID NOT NULL,
    "series" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "InvoiceCounter_pkey" PRIMARY KEY ("orgId","series","fiscalYear")
);

-- CreateTable
CREATE TABLE "DeliveredOrder" (
    "orderId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "deliveredAt" TIMESTAMPTZ(3) NOT NULL,
    "invoiceId" UUID,
    "writtenOffAt" TIMESTAMPTZ(3),

    CONSTRAINT "DeliveredOrder_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "CustomerTaxId" (
    "orgId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "scheme" "TaxIdScheme" NOT NULL,
    "country" CHAR(2) NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerTaxId_pkey" PRIMARY KEY ("orgId","customerId","scheme")
);

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_draftKey_key" ON "Invoice"("draftKey");

-- CreateIndex
CREATE INDEX "Invoice_orgId_status_idx" ON "Invoice"("orgId", "status");

-- CreateIndex
CREATE INDEX "Invoice_orgId_customerId_idx" ON "Invoice"("orgId", "customerId");

-- CreateIndex
CREATE INDEX "Invoice_orgId_issuedAt_idx" ON "Invoice"("orgId", "issuedAt");

-- CreateIndex
CREATE INDEX "Invoice_creditsInvoiceId_idx" ON "Invoice"("creditsInvoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_orgId_number_key" ON "Invoice"("orgId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_orgId_series_fiscalYear_sequence_key" ON "Invoice"("orgId", "series", "fiscalYear", "sequence");

-- CreateIndex
CREATE INDEX "InvoiceLine_orderId_idx" ON "InvoiceLine"("orderId");

-- CreateIndex
CREATE INDEX "InvoiceLine_creditsLineId_idx" ON "InvoiceLine"("creditsLineId");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceLine_invoiceId_position_key" ON "InvoiceLine"("invoiceId", "position");

-- CreateIndex
CREATE INDEX "DeliveredOrder_orgId_invoiceId_idx" ON "DeliveredOrder"("orgId", "invoiceId");

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
