//! The permission matrix (also in README): what each role may do.

use smp_store::Role;

/// Something a user may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// List clients and read their contact details.
    ReadContacts,
    /// Create clients and edit contact details.
    EditContacts,
    /// Read medical data: notes, photos, designs, plans, previews.
    ReadMedical,
    /// Upload photos, create and edit designs.
    EditMedical,
    /// Add users, reset passwords, clinic settings, audit.
    ManageClinic,
}

impl Permission {
    /// Every permission, in matrix order.
    pub const ALL: [Permission; 5] = [
        Permission::ReadContacts,
        Permission::EditContacts,
        Permission::ReadMedical,
        Permission::EditMedical,
        Permission::ManageClinic,
    ];

    /// What the permission lets one do, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            Permission::ReadContacts => "see clients",
            Permission::EditContacts => "edit client contact details",
            Permission::ReadMedical => "see medical data (photos, designs, plans)",
            Permission::EditMedical => "upload photos or edit designs",
            Permission::ManageClinic => "manage users and clinic settings",
        }
    }
}

/// Whether `role` has `perm`.
pub fn allows(role: Role, perm: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Owner => true,
        Role::Practitioner => !matches!(perm, ManageClinic),
        Role::FrontDesk => matches!(perm, ReadContacts | EditContacts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_matches_the_documented_one() {
        let row = |r| Permission::ALL.map(|p| allows(r, p));
        assert_eq!(row(Role::Owner), [true; 5]);
        assert_eq!(row(Role::Practitioner), [true, true, true, true, false]);
        assert_eq!(row(Role::FrontDesk), [true, true, false, false, false]);
    }
}
