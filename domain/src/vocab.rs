//! The vocabularies clients and cases are described with, after the Human Trafficking Case
//! Data Standard (HTCDS 2.0) and the Counter-Trafficking Data Collaborative's published
//! categories (see shared/DOMAIN-REFERENCE.md). Stored as their snake_case names.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Reads a stored name.
            #[must_use]
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

vocabulary!(
    /// HTCDS gender.
    Gender {
        Female => "female",
        Male => "male",
        TransgenderFemale => "transgender_female",
        TransgenderMale => "transgender_male",
        NonConforming => "non_conforming",
        Unknown => "unknown",
    }
);

vocabulary!(
    /// Broad age bands as CTDC publishes them.
    AgeBand {
        Age0To8 => "0-8",
        Age9To17 => "9-17",
        Age18To20 => "18-20",
        Age21To23 => "21-23",
        Age24To26 => "24-26",
        Age27To29 => "27-29",
        Age30To38 => "30-38",
        Age39To47 => "39-47",
        Age48Plus => "48+",
        Unknown => "unknown",
    }
);

impl AgeBand {
    /// The band of someone aged `age`.
    #[must_use]
    pub fn of_age(age: i32) -> Self {
        match age {
            i32::MIN..=-1 => AgeBand::Unknown,
            0..=8 => AgeBand::Age0To8,
            9..=17 => AgeBand::Age9To17,
            18..=20 => AgeBand::Age18To20,
            21..=23 => AgeBand::Age21To23,
            24..=26 => AgeBand::Age24To26,
            27..=29 => AgeBand::Age27To29,
            30..=38 => AgeBand::Age30To38,
            39..=47 => AgeBand::Age39To47,
            _ => AgeBand::Age48Plus,
        }
    }

    /// Whether the band is below 18.
    #[must_use]
    pub fn is_minor(self) -> bool {
        matches!(self, AgeBand::Age0To8 | AgeBand::Age9To17)
    }
}

vocabulary!(
    /// Types of exploitation (CTDC categories, with forced marriage, illegal adoption and
    /// surrogacy as in EU directive 2024/1712).
    ExploitationType {
        Sexual => "sexual",
        ForcedLabour => "forced_labour",
        ForcedCriminalActivity => "forced_criminal_activity",
        ForcedBegging => "forced_begging",
        ForcedMarriage => "forced_marriage",
        DomesticServitude => "domestic_servitude",
        OrganRemoval => "organ_removal",
        IllegalAdoption => "illegal_adoption",
        Surrogacy => "surrogacy",
        ForcedMilitary => "forced_military",
        Other => "other",
    }
);

vocabulary!(
    /// Practical needs to plan for.
    Need {
        Medical => "medical",
        MentalHealth => "mental_health",
        Dietary => "dietary",
        Accessibility => "accessibility",
        Interpreter => "interpreter",
        Childcare => "childcare",
    }
);

vocabulary!(
    /// HTCDS trafficking status.
    TraffickingStatus {
        Possible => "possible",
        Actual => "actual",
        NotTrafficked => "not_trafficked",
    }
);

vocabulary!(
    /// The type of organisation that decided the trafficking status.
    DecidingOrganisation {
        Police => "police",
        Ngo => "ngo",
        CourtOrProsecution => "court_or_prosecution",
        OtherGovernment => "other_government",
        Other => "other",
    }
);

vocabulary!(
    /// HTCDS methods of recruitment.
    RecruitmentMethod {
        FalseJobOffer => "false_job_offer",
        FalseRelationship => "false_relationship",
        SoldByFamily => "sold_by_family",
        FriendOrAcquaintance => "friend_or_acquaintance",
        Abduction => "abduction",
        Online => "online",
        Other => "other",
    }
);

vocabulary!(
    /// HTCDS methods of control (sixteen).
    ControlMethod {
        PhysicalAbuse => "physical_abuse",
        SexualAbuse => "sexual_abuse",
        PsychologicalAbuse => "psychological_abuse",
        ThreatsToPerson => "threats_to_person",
        ThreatsToFamily => "threats_to_family",
        DebtBondage => "debt_bondage",
        WithheldEarnings => "withheld_earnings",
        ConfiscatedDocuments => "confiscated_documents",
        RestrictedMovement => "restricted_movement",
        Isolation => "isolation",
        SubstanceUse => "substance_use",
        ExcessiveWorkingHours => "excessive_working_hours",
        FalsePromises => "false_promises",
        ThreatOfAuthorities => "threat_of_authorities",
        DeniedBasicNeeds => "denied_basic_needs",
        Other => "other",
    }
);

vocabulary!(
    /// Kinds of historic trafficking events.
    TraffickingEventKind {
        Recruitment => "recruitment",
        Transit => "transit",
        Exploitation => "exploitation",
    }
);

vocabulary!(
    /// How a connected person relates to the client.
    ConnectionRole {
        Child => "child",
        Partner => "partner",
        Parent => "parent",
        Sibling => "sibling",
        OtherFamily => "other_family",
        Other => "other",
    }
);

vocabulary!(
    /// Stages of a case.
    Stage {
        Signalled => "signalled",
        Intake => "intake",
        Reflection => "reflection",
        Assistance => "assistance",
        FollowUp => "follow_up",
        Closed => "closed",
    }
);

impl Stage {
    /// The stages a case may move to from this one.
    #[must_use]
    pub fn next(self) -> &'static [Stage] {
        match self {
            Stage::Signalled => &[Stage::Intake, Stage::Closed],
            Stage::Intake => &[Stage::Reflection, Stage::Assistance, Stage::Closed],
            Stage::Reflection => &[Stage::Assistance, Stage::Closed],
            Stage::Assistance => &[Stage::FollowUp, Stage::Closed],
            Stage::FollowUp => &[Stage::Assistance, Stage::Closed],
            Stage::Closed => &[],
        }
    }
}

vocabulary!(
    /// Why a case was closed.
    ClosureReason {
        ReintegratedLocally => "reintegrated_locally",
        ReturnedToCountryOfOrigin => "returned_to_country_of_origin",
        Transferred => "transferred",
        LostContact => "lost_contact",
        NotIdentifiedAsVictim => "not_identified_as_victim",
        Other => "other",
    }
);

vocabulary!(
    /// A member's part in a case team.
    TeamRole {
        Lead => "lead",
        Member => "member",
    }
);

/// Stores a set of vocabulary values as a comma-separated list.
#[must_use]
pub fn join<T: Copy + Ord>(values: &[T], name: impl Fn(T) -> &'static str) -> String {
    let mut sorted: Vec<T> = values.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.into_iter().map(name).collect::<Vec<_>>().join(",")
}

/// Reads a stored list, skipping values this version does not know.
#[must_use]
pub fn split<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .filter_map(parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_move_forward_and_closed_is_final() {
        assert!(Stage::Signalled.next().contains(&Stage::Intake));
        assert!(!Stage::Signalled.next().contains(&Stage::Assistance));
        assert!(Stage::Closed.next().is_empty());
        for stage in Stage::ALL {
            if *stage != Stage::Closed {
                assert!(stage.next().contains(&Stage::Closed), "{stage:?} can close");
            }
        }
    }

    #[test]
    fn lists_round_trip_and_bands_follow_ages() {
        let stored = join(
            &[
                ExploitationType::Sexual,
                ExploitationType::ForcedLabour,
                ExploitationType::Sexual,
            ],
            ExploitationType::as_str,
        );
        assert_eq!(stored, "sexual,forced_labour");
        assert_eq!(split(&stored, ExploitationType::parse).len(), 2);
        assert_eq!(ControlMethod::ALL.len(), 16);
        assert_eq!(AgeBand::of_age(17), AgeBand::Age9To17);
        assert!(AgeBand::of_age(17).is_minor());
        assert_eq!(AgeBand::of_age(52), AgeBand::Age48Plus);
    }
}

vocabulary!(
    /// Where a placement stands.
    PlacementStatus {
        Reserved => "reserved",
        Admitted => "admitted",
        Left => "left",
        Cancelled => "cancelled",
    }
);

vocabulary!(
    /// Why a client left a bed.
    LeaveReason {
        PlannedEnd => "planned_end",
        MovedToOtherAccommodation => "moved_to_other_accommodation",
        ReturnedToCountryOfOrigin => "returned_to_country_of_origin",
        LeftWithoutNotice => "left_without_notice",
        Excluded => "excluded",
        Other => "other",
    }
);

vocabulary!(
    /// Where an identification interview took place.
    InterviewLocation {
        Shelter => "shelter",
        NgoOffice => "ngo_office",
        PoliceStation => "police_station",
        DetentionCentre => "detention_centre",
        Hospital => "hospital",
        Outreach => "outreach",
        Remote => "remote",
        Other => "other",
    }
);

vocabulary!(
    /// The outcome of an identification interview: is the person a presumed victim?
    PresumedVictim {
        Yes => "yes",
        No => "no",
        Unclear => "unclear",
    }
);

vocabulary!(
    /// An answer on the trafficking-indicator checklist.
    IndicatorAnswer {
        Yes => "yes",
        No => "no",
        Unknown => "unknown",
    }
);

vocabulary!(
    /// What a risk assessment weighs.
    RiskKind {
        Traffickers => "traffickers",
        Health => "health",
        SelfHarm => "self_harm",
        Other => "other",
    }
);

vocabulary!(
    /// How serious a risk is.
    RiskLevel {
        Low => "low",
        Medium => "medium",
        High => "high",
    }
);

vocabulary!(
    /// What a client consents to (HTCDS consent).
    ConsentPurpose {
        DataProcessing => "data_processing",
        SharingWithPartners => "sharing_with_partners",
        Research => "research",
    }
);

vocabulary!(
    /// Types of partner organisation, after the HTCDS organisation types.
    PartnerOrganisationType {
        Ngo => "ngo",
        LawEnforcement => "law_enforcement",
        HealthService => "health_service",
        Government => "government",
        ImmigrationService => "immigration_service",
        LegalService => "legal_service",
        Other => "other",
    }
);

vocabulary!(
    /// Administrative documents a client needs.
    DocumentKind {
        ResidencePermit => "residence_permit",
        WorkPermit => "work_permit",
        IdentityDocument => "identity_document",
        HealthInsurance => "health_insurance",
        SocialServicesRegistration => "social_services_registration",
        Other => "other",
    }
);

vocabulary!(
    /// Where an administrative document stands.
    DocumentStatus {
        ToRequest => "to_request",
        Requested => "requested",
        Granted => "granted",
        Refused => "refused",
        Expired => "expired",
    }
);

vocabulary!(
    /// Kinds of legal proceeding.
    ProceedingType {
        CriminalComplaint => "criminal_complaint",
        CivilParty => "civil_party",
        LabourClaim => "labour_claim",
        CompensationClaim => "compensation_claim",
        ResidenceAppeal => "residence_appeal",
        Other => "other",
    }
);

vocabulary!(
    /// Where a legal proceeding stands.
    ProceedingStatus {
        Considering => "considering",
        Filed => "filed",
        Investigation => "investigation",
        Trial => "trial",
        Decided => "decided",
        Closed => "closed",
    }
);

vocabulary!(
    /// The client's part in a legal proceeding.
    ProceedingRole {
        Witness => "witness",
        CivilParty => "civil_party",
        Plaintiff => "plaintiff",
        Defendant => "defendant",
        Other => "other",
    }
);

vocabulary!(
    /// Who a legal contact is.
    LegalContactRole {
        PoliceUnit => "police_unit",
        Prosecutor => "prosecutor",
        Lawyer => "lawyer",
        Court => "court",
        Other => "other",
    }
);

vocabulary!(
    /// Where a hearing stands.
    HearingStatus {
        Scheduled => "scheduled",
        Held => "held",
        Postponed => "postponed",
        Cancelled => "cancelled",
    }
);

vocabulary!(
    /// What a task is: something to do, or an appointment at a set time.
    TaskKind {
        Task => "task",
        Appointment => "appointment",
    }
);

vocabulary!(
    /// Where a task stands.
    TaskStatus {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
);

vocabulary!(
    /// What happened in an incident in shelter life.
    IncidentCategory {
        ConflictBetweenResidents => "conflict_between_residents",
        HouseRuleBreach => "house_rule_breach",
        Security => "security",
        ContactAttemptByTraffickers => "contact_attempt_by_traffickers",
        HealthEmergency => "health_emergency",
        AbsenceOrMissingResident => "absence_or_missing_resident",
        Other => "other",
    }
);

vocabulary!(
    /// How serious an incident is.
    IncidentSeverity {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

vocabulary!(
    /// Where the follow-up of an incident stands.
    IncidentFollowUp {
        Open => "open",
        InProgress => "in_progress",
        Closed => "closed",
    }
);

vocabulary!(
    /// The service areas of a client's support package.
    ServiceArea {
        Residential => "residential",
        Administrative => "administrative",
        Legal => "legal",
        Psychosocial => "psychosocial",
        Medical => "medical",
        EducationWork => "education_work",
        Ambulant => "ambulant",
    }
);

vocabulary!(
    /// Where a support-plan goal stands.
    GoalStatus {
        Planned => "planned",
        InProgress => "in_progress",
        Achieved => "achieved",
        Dropped => "dropped",
    }
);

vocabulary!(
    /// Who a technical-assistance engagement supports.
    PartnerKind {
        Ngo => "ngo",
        GovernmentBody => "government_body",
        InternationalOrganisation => "international_organisation",
        Other => "other",
    }
);

vocabulary!(
    /// What a technical-assistance engagement is about.
    EngagementType {
        NeedsAssessment => "needs_assessment",
        TrainingProgrammeDesign => "training_programme_design",
        ExpertConsultation => "expert_consultation",
        ProgrammeEvaluation => "programme_evaluation",
        ShelterSetUpSupport => "shelter_set_up_support",
    }
);

vocabulary!(
    /// Where a technical-assistance engagement stands.
    EngagementStatus {
        Planned => "planned",
        Ongoing => "ongoing",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

vocabulary!(
    /// Who may see an entry of a shared table (the referral directory, the training library).
    Visibility {
        Shared => "shared",
        Private => "private",
    }
);

vocabulary!(
    /// Where a proposed shared entry (or a proposed change to one) stands with the platform's
    /// curators. Private entries need no verification.
    VerificationStatus {
        Pending => "pending",
        Verified => "verified",
        Rejected => "rejected",
    }
);

vocabulary!(
    /// Who a training course is for, and who attended a session.
    Audience {
        Police => "police",
        Military => "military",
        Peacekeepers => "peacekeepers",
        MedicalPersonnel => "medical_personnel",
        NgoStaff => "ngo_staff",
        ShelterStaff => "shelter_staff",
        LegalProfessionals => "legal_professionals",
        LabourInspectors => "labour_inspectors",
        Universities => "universities",
        LabourUnions => "labour_unions",
        GovernmentOfficials => "government_officials",
        GeneralPublic => "general_public",
    }
);

vocabulary!(
    /// How a training session was delivered.
    SessionDelivery {
        InPerson => "in_person",
        Online => "online",
    }
);

vocabulary!(
    /// A platform administrator's decision on a proposed course or change.
    ReviewDecision {
        Verified => "verified",
        Rejected => "rejected",
    }
);

vocabulary!(
    /// The periods the training summary counts by.
    SummaryPeriod {
        Month => "month",
        Quarter => "quarter",
        Year => "year",
    }
);

vocabulary!(
    /// What a partner organisation in the referral directory offers (the directory's taxonomy;
    /// labels and descriptions in [`crate::directory::taxonomy`]).
    DirectoryServiceType {
        Shelter => "shelter",
        Medical => "medical",
        MentalHealth => "mental_health",
        LegalAid => "legal_aid",
        Interpreting => "interpreting",
        PoliceSpecialisedUnit => "police_specialised_unit",
        LabourInspection => "labour_inspection",
        EmbassyConsulate => "embassy_consulate",
        SocialServices => "social_services",
        ReturnReintegration => "return_reintegration",
        EducationEmployment => "education_employment",
        Hotline => "hotline",
        Other => "other",
    }
);

vocabulary!(
    /// How soon a referral needs an answer.
    ReferralUrgency {
        Routine => "routine",
        Urgent => "urgent",
        Emergency => "emergency",
    }
);

vocabulary!(
    /// Where a referral stands: `sent` → `accepted` or `declined`; `accepted` → `completed`;
    /// `sent` or `accepted` → `cancelled`.
    ReferralStatus {
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

vocabulary!(
    /// Where a referral received from another Haven organisation stands: `received` →
    /// `accepted` (a case was opened) or `declined`; `cancelled` when the sender withdrew it
    /// first, or erased the client.
    IncomingStatus {
        Received => "received",
        Accepted => "accepted",
        Declined => "declined",
        Cancelled => "cancelled",
    }
);

vocabulary!(
    /// The parts of a client's record a referral may share with the partner. `name`,
    /// `date_of_birth` and `contact` identify the client and travel only under a consent.
    PacketField {
        Name => "name",
        DateOfBirth => "date_of_birth",
        Contact => "contact",
        Gender => "gender",
        AgeBand => "age_band",
        Nationality => "nationality",
        Languages => "languages",
        Needs => "needs",
        ExploitationTypes => "exploitation_types",
    }
);

impl PacketField {
    /// Whether the field identifies the client.
    #[must_use]
    pub const fn identifies(self) -> bool {
        matches!(
            self,
            PacketField::Name | PacketField::DateOfBirth | PacketField::Contact
        )
    }
}

vocabulary!(
    /// Where a deadline stands: `open` until someone marks it `done` or `cancelled` (and it may
    /// be opened again).
    DeadlineStatus {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
);
