/** The roles of HQ's operators (SYSTEM.md 4.4). */
export const OPERATOR_ROLES = ['ADMIN', 'MENU_EDITOR', 'SUPPORT', 'VIEWER'] as const;
export type OperatorRoleName = (typeof OPERATOR_ROLES)[number];
