import { addInvoicesField } from './invoice.ts';
import { OrganizationRef } from './refs.ts';

addInvoicesField(OrganizationRef, "The organization's invoices the caller may see, newest first.", (org) => org.id);
