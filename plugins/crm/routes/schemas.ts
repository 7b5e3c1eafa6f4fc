import { Type } from '@sinclair/typebox';

export const EVERYONE = ['owner', 'admin', 'manager', 'specialist'] as const;
export const STAFF = ['owner', 'admin', 'manager'] as const;
export const ADMINS = ['owner', 'admin'] as const;
export const Uuid = Type.String({ format: 'uuid' });
export const ContactParam = Type.Object({ contactId: Uuid }, { additionalProperties: false });
export const Day = Type.String({ format: 'date' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number) => Type.String({ maxLength: max });

export const CardPatch = Type.Object({
  color: Type.Optional(Type.Union([Type.Literal('guest'), Type.Literal('attention'), Type.Literal('employee'), Type.Literal('earlier'), Type.Null()])),
  earlierThan: Type.Optional(Nullable(Day)),
  earlierComment: Type.Optional(Text(1000)),
  fixedResourceId: Type.Optional(Nullable(Uuid)),
  locked: Type.Optional(Type.Boolean()),
  publicNote: Type.Optional(Text(4000)),
  confidentialNote: Type.Optional(Text(4000)),
  survey: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]{0,30}$' }), Type.Integer({ minimum: 0, maximum: 5 }), { maxProperties: 30 })),
  parking: Type.Optional(Type.Boolean()),
  bonusPercent: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()])),
  privileges: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 30, uniqueItems: true })),
  contractNumber: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 60 }))),
  contractDate: Type.Optional(Nullable(Day)),
  priorVisits: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: 'visits before this system (an imported history): they count towards the status' })),
}, { additionalProperties: false });

export const PreferencesBody = Type.Object({
  items: Type.Array(Type.Object({ resourceId: Uuid, kind: Type.Union([Type.Literal('positive'), Type.Literal('negative')]) }, { additionalProperties: false }), { maxItems: 100 }),
}, { additionalProperties: false });

export const MarksQuery = Type.Object({
  contactIds: Type.String({ maxLength: 37 * 200, pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*$', description: 'comma-separated contact ids, at most 200' }),
}, { additionalProperties: false });
