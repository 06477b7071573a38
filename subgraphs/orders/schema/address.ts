import { builder } from '../builder.ts';

export interface Address {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
  lat: number;
  lon: number;
}

export const AddressType = builder.objectRef<Address>('Address').implement({
  description: 'A postal address with its coordinates (WGS 84).',
  shareable: true,
  fields: (t) => ({
    line1: t.exposeString('line1'),
    city: t.exposeString('city'),
    postalCode: t.exposeString('postalCode'),
    country: t.exposeString('country', { description: 'ISO 3166-1 alpha-2.' }),
    lat: t.exposeFloat('lat'),
    lon: t.exposeFloat('lon'),
  }),
});

export const AddressInput = builder.inputType('AddressInput', {
  fields: (t) => ({
    line1: t.string({ required: true }),
    city: t.string({ required: true }),
    postalCode: t.string({ required: true }),
    country: t.string({ required: true, description: 'ISO 3166-1 alpha-2, e.g. DE.' }),
    lat: t.float({ required: true }),
    lon: t.float({ required: true }),
  }),
});
