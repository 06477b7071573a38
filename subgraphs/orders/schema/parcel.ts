import { builder } from '../builder.ts';

const decimalToNumber = (value: { toNumber(): number } | null) => (value === null ? null : value.toNumber());

export const ParcelType = builder.prismaObject('Parcel', {
  fields: (t) => ({
    id: t.exposeID('id'),
    weightKg: t.float({ resolve: (p) => p.weightKg.toNumber() }),
    lengthCm: t.float({ nullable: true, resolve: (p) => decimalToNumber(p.lengthCm) }),
    widthCm: t.float({ nullable: true, resolve: (p) => decimalToNumber(p.widthCm) }),
    heightCm: t.float({ nullable: true, resolve: (p) => decimalToNumber(p.heightCm) }),
  }),
});

export const ParcelInput = builder.inputType('ParcelInput', {
  fields: (t) => ({
    weightKg: t.float({ required: true, description: 'Greater than 0.' }),
    lengthCm: t.float(),
    widthCm: t.float(),
    heightCm: t.float(),
  }),
});
