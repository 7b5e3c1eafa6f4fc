export type Role = 'owner' | 'admin' | 'manager' | 'specialist';
export const ROLES: Role[] = ['owner', 'admin', 'manager', 'specialist'];

export interface Member { id: string; email: string; name: string; role: Role; created_at: string }
export interface Invitation { id: string; email: string; role: Role; expiresAt: string; expired: boolean }
/** A staff column of the booking plugin's journal (GET /booking/resources), linked to at most one member. */
export interface StaffColumn { id: string; kind: string; name: string; userId: string | null }
