export const ROLES_KEY = ["admin", "roles"] as const;
export const PERMISSIONS_KEY = ["admin", "permissions"] as const;
