import { Type } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const IdParam = Type.Object({ id: Uuid });
export const DateTimeString = Type.String({ format: 'date-time' });
export const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
export const ResourceKind = Type.Union([Type.Literal('staff'), Type.Literal('room'), Type.Literal('equipment')]);
export const ServiceKind = Type.Union([Type.Literal('regular'), Type.Literal('group'), Type.Literal('online')]);
export const BookingStatus = Type.Union([
  Type.Literal('held'), Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('arrived'),
  Type.Literal('completed'), Type.Literal('cancelled'), Type.Literal('no_show'), Type.Literal('expired'),
]);
export const Phone = Type.String({ minLength: 5, maxLength: 32 });
export const VerificationToken = Type.String({ minLength: 20, maxLength: 100, description: 'from POST /public/:tenant/verifications/:id/confirm' });
export const ClientBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Phone,
}, { additionalProperties: false });

export const ADMINS = ['owner', 'admin'] as const;
export const STAFF = ['owner', 'admin', 'manager'] as const;
export const EVERYONE = ['owner', 'admin', 'manager', 'specialist'] as const;
