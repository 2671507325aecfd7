// The API's vocabularies (from openapi/openapi.json) as lists for selects.
import type { Schemas } from './api/client';

export const STAGES: Schemas['Stage'][] = ["signalled", "intake", "reflection", "assistance", "follow_up", "closed"];
export const EXPLOITATION_TYPES: Schemas['ExploitationType'][] = ["sexual", "forced_labour", "forced_criminal_activity", "forced_begging", "forced_marriage", "domestic_servitude", "organ_removal", "illegal_adoption", "surrogacy", "forced_military", "other"];
export const GENDERS: Schemas['Gender'][] = ["female", "male", "transgender_female", "transgender_male", "non_conforming", "unknown"];
export const AGE_BANDS: Schemas['AgeBand'][] = ["0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+", "unknown"];
export const TRAFFICKING_STATUSES: Schemas['TraffickingStatus'][] = ["possible", "actual", "not_trafficked"];
export const SERVICE_AREAS: Schemas['ServiceArea'][] = ["residential", "administrative", "legal", "psychosocial", "medical", "education_work", "ambulant"];
export const GOAL_STATUSES: Schemas['GoalStatus'][] = ["planned", "in_progress", "achieved", "dropped"];
export const DOCUMENT_KINDS: Schemas['DocumentKind'][] = ["residence_permit", "work_permit", "identity_document", "health_insurance", "social_services_registration", "other"];
export const DOCUMENT_STATUSES: Schemas['DocumentStatus'][] = ["to_request", "requested", "granted", "refused", "expired"];
export const PROCEEDING_TYPES: Schemas['ProceedingType'][] = ["criminal_complaint", "civil_party", "labour_claim", "compensation_claim", "residence_appeal", "other"];
export const PROCEEDING_ROLES: Schemas['ProceedingRole'][] = ["witness", "civil_party", "plaintiff", "defendant", "other"];
export const LEGAL_CONTACT_ROLES: Schemas['LegalContactRole'][] = ["police_unit", "prosecutor", "lawyer", "court", "other"];
export const PROCEEDING_STATUSES: Schemas['ProceedingStatus'][] = ["considering", "filed", "investigation", "trial", "decided", "closed"];
export const INCIDENT_CATEGORIES: Schemas['IncidentCategory'][] = ["conflict_between_residents", "house_rule_breach", "security", "contact_attempt_by_traffickers", "health_emergency", "absence_or_missing_resident", "other"];
export const INCIDENT_SEVERITIES: Schemas['IncidentSeverity'][] = ["low", "medium", "high", "critical"];
export const INCIDENT_FOLLOW_UPS: Schemas['IncidentFollowUp'][] = ["open", "in_progress", "closed"];
export const INTERVIEW_LOCATIONS: Schemas['InterviewLocation'][] = ["shelter", "ngo_office", "police_station", "detention_centre", "hospital", "outreach", "remote", "other"];
export const PRESUMED_VICTIMS: Schemas['PresumedVictim'][] = ["yes", "no", "unclear"];
export const INDICATOR_ANSWERS: Schemas['IndicatorAnswer'][] = ["yes", "no", "unknown"];
export const CONSENT_PURPOSES: Schemas['ConsentPurpose'][] = ["data_processing", "sharing_with_partners", "research"];
export const PARTNER_ORGANISATION_TYPES: Schemas['PartnerOrganisationType'][] = ["ngo", "law_enforcement", "health_service", "government", "immigration_service", "legal_service", "other"];
export const PLACEMENT_STATUSES: Schemas['PlacementStatus'][] = ["reserved", "admitted", "left", "cancelled"];
export const TASK_STATUSES: Schemas['TaskStatus'][] = ["open", "done", "cancelled"];
export const NEEDS: Schemas['Need'][] = ["medical", "mental_health", "dietary", "accessibility", "interpreter", "childcare"];
export const RISK_KINDS: Schemas['RiskKind'][] = ["traffickers", "health", "self_harm", "other"];
export const RISK_LEVELS: Schemas['RiskLevel'][] = ["low", "medium", "high"];
export const ENGAGEMENT_STATUSES: Schemas['EngagementStatus'][] = ["planned", "ongoing", "completed", "cancelled"];
export const ENGAGEMENT_TYPES: Schemas['EngagementType'][] = ["needs_assessment", "training_programme_design", "expert_consultation", "programme_evaluation", "shelter_set_up_support"];
export const PARTNER_KINDS: Schemas['PartnerKind'][] = ["ngo", "government_body", "international_organisation", "other"];
export const CLOSURE_REASONS: Schemas['ClosureReason'][] = ["reintegrated_locally", "returned_to_country_of_origin", "transferred", "lost_contact", "not_identified_as_victim", "other"];
export const RECRUITMENT_METHODS: Schemas['RecruitmentMethod'][] = ["false_job_offer", "false_relationship", "sold_by_family", "friend_or_acquaintance", "abduction", "online", "other"];
export const CONTROL_METHODS: Schemas['ControlMethod'][] = ["physical_abuse", "sexual_abuse", "psychological_abuse", "threats_to_person", "threats_to_family", "debt_bondage", "withheld_earnings", "confiscated_documents", "restricted_movement", "isolation", "substance_use", "excessive_working_hours", "false_promises", "threat_of_authorities", "denied_basic_needs", "other"];
export const LEAVE_REASONS: Schemas['LeaveReason'][] = ["planned_end", "moved_to_other_accommodation", "returned_to_country_of_origin", "left_without_notice", "excluded", "other"];
export const TASK_KINDS: Schemas['TaskKind'][] = ["task", "appointment"];
export const HEARING_STATUSES: Schemas['HearingStatus'][] = ["scheduled", "held", "postponed", "cancelled"];
export const AUDIENCES: Schemas['Audience'][] = ["police", "military", "peacekeepers", "medical_personnel", "ngo_staff", "shelter_staff", "legal_professionals", "labour_inspectors", "universities", "labour_unions", "government_officials", "general_public"];
export const SESSION_DELIVERIES: Schemas['SessionDelivery'][] = ["in_person", "online"];
export const DIRECTORY_SERVICE_TYPES: Schemas['DirectoryServiceType'][] = ["shelter", "medical", "mental_health", "legal_aid", "interpreting", "police_specialised_unit", "labour_inspection", "embassy_consulate", "social_services", "return_reintegration", "education_employment", "hotline", "other"];
export const PACKET_FIELDS: Schemas['PacketField'][] = ["name", "date_of_birth", "contact", "gender", "age_band", "nationality", "languages", "needs", "exploitation_types"];
export const REFERRAL_URGENCIES: Schemas['ReferralUrgency'][] = ["routine", "urgent", "emergency"];
export const REFERRAL_STATUSES: Schemas['ReferralStatus'][] = ["sent", "accepted", "declined", "completed", "cancelled"];
export const REPORT_NAMES: Schemas['ReportName'][] = ["occupancy", "cases_by_stage", "signals_and_intakes", "exploitation_types", "nationalities", "gender_age", "services", "documents", "training", "referrals"];
export const VERIFICATION_STATUSES: Schemas['VerificationStatus'][] = ["pending", "verified", "rejected"];

/** Select options of a vocabulary, labelled in the user's language. */
export function enumOptions(values: readonly string[], kind: string, label: (kind: string, value: string) => string) {
  return values.map((value) => ({ value, label: label(kind, value) }));
}
