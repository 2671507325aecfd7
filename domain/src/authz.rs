//! Roles and permissions. One table maps each role to what it may do; handlers ask for a
//! permission, never for a role name.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// A role a user holds inside one tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    TenantAdmin,
    ShelterManager,
    CaseWorker,
    ShelterStaff,
    Trainer,
    Analyst,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::TenantAdmin,
        Role::ShelterManager,
        Role::CaseWorker,
        Role::ShelterStaff,
        Role::Trainer,
        Role::Analyst,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::TenantAdmin => "tenant_admin",
            Role::ShelterManager => "shelter_manager",
            Role::CaseWorker => "case_worker",
            Role::ShelterStaff => "shelter_staff",
            Role::Trainer => "trainer",
            Role::Analyst => "analyst",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}

/// Something a principal may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See the tenant's users.
    UsersRead,
    /// Create users, change their roles and status.
    UsersManage,
    /// Read the tenant's audit log.
    AuditRead,
    /// Read and change the tenant's settings.
    TenantSettings,
    /// Read aggregate reports.
    ReportsRead,
    /// Open cases and clients, and work on the cases one is on the team of.
    CasesWork,
    /// See every case of the tenant (not only one's own team's).
    CasesReadAll,
    /// Read clients' identities (names, birth dates, documents, contacts) on visible cases.
    ClientIdentityRead,
    /// See the cases placed in the shelters one is assigned to (besides one's team's).
    CasesInMyShelters,
    /// See the operational data of residents (case code, bed, languages, needs — never
    /// identity or narrative) of the shelters one is assigned to.
    ResidentsRead,
    /// See shelters, their rooms, beds, staff and occupancy.
    SheltersRead,
    /// Create, change and remove shelters, rooms and beds; assign staff.
    SheltersManage,
    /// Read a shelter's confidential address (each read is audited).
    ShelterAddressRead,
    /// Record and change training work: library courses and their versions, training sessions,
    /// technical-assistance engagements.
    TrainingManage,
    /// Read the organisation's training work.
    TrainingRead,
    /// Verify or reject courses proposed for the shared library. Platform administrators
    /// review; no tenant role holds it, so a tenant's attempt is refused and audited.
    TrainingReview,
    /// Add private entries to the referral directory and propose shared entries or edits.
    DirectoryManage,
    /// Send a referral without the client's consent to share, with a reason (audited).
    ReferralsConsentOverride,
    /// Read the inbox of referrals from other organisations and accept or decline them.
    ReferralsReceive,
    /// Export everything held about one client (a subject access request; audited).
    ClientsExport,
    /// Erase a client (crypto-shredding), request or approve an erasure.
    ClientsErase,
}

impl Permission {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Permission::UsersRead => "users.read",
            Permission::UsersManage => "users.manage",
            Permission::AuditRead => "audit.read",
            Permission::TenantSettings => "tenant.settings",
            Permission::ReportsRead => "reports.read",
            Permission::CasesWork => "cases.work",
            Permission::CasesReadAll => "cases.read_all",
            Permission::ClientIdentityRead => "clients.identity_read",
            Permission::CasesInMyShelters => "cases.in_my_shelters",
            Permission::ResidentsRead => "residents.read",
            Permission::SheltersRead => "shelters.read",
            Permission::SheltersManage => "shelters.manage",
            Permission::ShelterAddressRead => "shelters.address_read",
            Permission::TrainingManage => "training.manage",
            Permission::TrainingRead => "training.read",
            Permission::TrainingReview => "training.review",
            Permission::DirectoryManage => "directory.manage",
            Permission::ReferralsConsentOverride => "referrals.consent_override",
            Permission::ReferralsReceive => "referrals.receive",
            Permission::ClientsExport => "clients.export",
            Permission::ClientsErase => "clients.erase",
        }
    }
}

/// The permission table.
#[must_use]
pub fn role_permissions(role: Role) -> &'static [Permission] {
    use Permission as P;
    match role {
        Role::TenantAdmin => &[
            P::UsersRead,
            P::UsersManage,
            P::AuditRead,
            P::TenantSettings,
            P::ReportsRead,
            P::CasesWork,
            P::CasesReadAll,
            P::ClientIdentityRead,
            P::SheltersRead,
            P::SheltersManage,
            P::ShelterAddressRead,
            P::ResidentsRead,
            P::TrainingManage,
            P::TrainingRead,
            P::DirectoryManage,
            P::ReferralsConsentOverride,
            P::ReferralsReceive,
            P::ClientsExport,
            P::ClientsErase,
        ],
        Role::ShelterManager => &[
            P::UsersRead,
            P::ReportsRead,
            P::CasesWork,
            P::ClientIdentityRead,
            P::SheltersRead,
            P::SheltersManage,
            P::ShelterAddressRead,
            P::CasesInMyShelters,
            P::ResidentsRead,
            P::DirectoryManage,
            P::ReferralsConsentOverride,
            P::ReferralsReceive,
        ],
        Role::CaseWorker => &[
            P::CasesWork,
            P::ClientIdentityRead,
            P::SheltersRead,
            P::ShelterAddressRead,
            P::DirectoryManage,
        ],
        Role::ShelterStaff => &[P::SheltersRead, P::ResidentsRead],
        Role::Trainer => &[P::TrainingManage, P::TrainingRead],
        Role::Analyst => &[P::ReportsRead],
    }
}

/// The union of the permissions of `roles`.
#[must_use]
pub fn permissions_of(roles: &BTreeSet<Role>) -> BTreeSet<Permission> {
    roles
        .iter()
        .flat_map(|r| role_permissions(*r).iter().copied())
        .collect()
}

/// Roles as stored: comma-separated names.
#[must_use]
pub fn encode_roles(roles: &BTreeSet<Role>) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads stored roles, skipping names this version does not know.
#[must_use]
pub fn decode_roles(text: &str) -> BTreeSet<Role> {
    text.split(',').filter_map(|r| r.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_only_admins_manage_users() {
        let roles: BTreeSet<Role> = [Role::CaseWorker, Role::TenantAdmin].into();
        assert_eq!(decode_roles(&encode_roles(&roles)), roles);
        for role in Role::ALL {
            let manages = role_permissions(role).contains(&Permission::UsersManage);
            assert_eq!(manages, role == Role::TenantAdmin, "{role}");
        }
        assert!(permissions_of(&[Role::Analyst].into()).contains(&Permission::ReportsRead));
    }

    #[test]
    fn only_administrators_and_shelter_managers_override_a_consent() {
        for role in Role::ALL {
            assert_eq!(
                role_permissions(role).contains(&Permission::ReferralsConsentOverride),
                matches!(role, Role::TenantAdmin | Role::ShelterManager),
                "{role}"
            );
        }
    }

    #[test]
    fn shelter_addresses_are_for_those_who_place_people() {
        for role in Role::ALL {
            let has = |p: Permission| role_permissions(role).contains(&p);
            let address = matches!(
                role,
                Role::TenantAdmin | Role::ShelterManager | Role::CaseWorker
            );
            assert_eq!(has(Permission::ShelterAddressRead), address, "{role}");
            assert_eq!(
                has(Permission::SheltersRead),
                address || role == Role::ShelterStaff,
                "{role}"
            );
            assert_eq!(
                has(Permission::SheltersManage),
                matches!(role, Role::TenantAdmin | Role::ShelterManager),
                "{role}"
            );
        }
    }
}
