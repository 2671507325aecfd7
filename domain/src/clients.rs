//! Clients: the people a tenant assists. A client has a readable, pseudonymous case code;
//! their identity is sealed with the client's own data key (destroying that key erases them);
//! the statistical attributes reports need stay in clear. Names are searchable and duplicates
//! detectable through blind indexes only. Who may see a client follows who may see one of
//! their cases (see [`crate::cases`]).

use crate::access;
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::{self, visible_client_ids};
use crate::crypto::MasterKey;
use crate::entities::{case_code_counter, client, client_key, client_name_index, tenant};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::{self, DataKey, FieldRef};
use crate::ids::TenantId;
use crate::tenancy::{self, TenantScope};
use crate::types::{CountryCode, Email};
use crate::vocab::{
    self, AgeBand, ConnectionRole, ControlMethod, DecidingOrganisation, ExploitationType, Gender,
    Need, RecruitmentMethod, TraffickingEventKind, TraffickingStatus,
};
use chrono::{Datelike as _, NaiveDate};
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait as _, FromQueryResult, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, QueryTrait as _, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// An identity document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IdentityDocument {
    /// e.g. `passport`, `national_id`, `residence_permit`.
    pub kind: String,
    pub number: String,
    /// ISO 3166-1 alpha-2 of the issuing country.
    pub issuing_country: Option<String>,
}

/// Someone to call in an emergency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EmergencyContact {
    pub name: String,
    pub phone: Option<String>,
    pub relation: Option<String>,
}

/// Everything that identifies a client. Sealed at rest; shown only to roles allowed to read it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Identity {
    pub legal_given_name: Option<String>,
    pub legal_family_name: Option<String>,
    /// The name the client uses day to day.
    pub used_name: Option<String>,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<NaiveDate>,
    #[serde(deserialize_with = "crate::objects::objects")]
    pub documents: Vec<IdentityDocument>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[serde(deserialize_with = "crate::objects::optional_object")]
    pub emergency_contact: Option<EmergencyContact>,
}

/// A recruitment, transit or exploitation event in the client's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TraffickingEvent {
    pub kind: TraffickingEventKind,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A person connected to the client (a child who came along, family).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConnectedPerson {
    pub role: ConnectionRole,
    pub age_band: AgeBand,
    /// Sealed at rest with the client's identity.
    pub name: Option<String>,
}

/// What describes a client, as written by a case worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientDetails {
    #[serde(default, deserialize_with = "crate::objects::object")]
    pub identity: Identity,
    pub gender: Gender,
    /// When only the year is known (or to keep the date out of the record).
    pub birth_year: Option<i32>,
    /// Derived from the date or year of birth when one is given.
    pub age_band: Option<AgeBand>,
    /// ISO 3166-1 alpha-2 citizenship.
    pub nationality: Option<String>,
    /// ISO 639 codes (`fr`, `en`, `ro`, `tir`).
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub exploitation_types: Vec<ExploitationType>,
    #[serde(default)]
    pub needs: Vec<Need>,
    pub trafficking_status: TraffickingStatus,
    pub status_decided_by: Option<DecidingOrganisation>,
    #[serde(default)]
    pub recruitment_methods: Vec<RecruitmentMethod>,
    #[serde(default)]
    pub control_methods: Vec<ControlMethod>,
    #[serde(default, deserialize_with = "crate::objects::objects")]
    pub trafficking_events: Vec<TraffickingEvent>,
    #[serde(default, deserialize_with = "crate::objects::objects")]
    pub connected_persons: Vec<ConnectedPerson>,
}

fn bounded_text(v: &mut Validator, field: &str, value: Option<&str>, max: usize) {
    if let Some(text) = value
        && (text.trim().is_empty()
            || text.chars().count() > max
            || text.chars().any(char::is_control))
    {
        v.note(
            field,
            format!("must be 1 to {max} characters without control characters"),
        );
    }
}

fn country(v: &mut Validator, field: &str, value: Option<&str>) -> Option<String> {
    value.and_then(|c| {
        v.take(CountryCode::parse(field, c))
            .map(CountryCode::into_inner)
    })
}

impl ClientDetails {
    /// Checks every field; returns the cleaned country codes.
    ///
    /// # Errors
    /// [`DomainError::Invalid`] listing each bad field.
    pub fn validate(&mut self) -> DomainResult<()> {
        let mut v = Validator::default();
        let today = crate::now().date_naive();
        let id = &self.identity;
        for (field, value) in [
            ("identity.legal_given_name", id.legal_given_name.as_deref()),
            (
                "identity.legal_family_name",
                id.legal_family_name.as_deref(),
            ),
            ("identity.used_name", id.used_name.as_deref()),
        ] {
            bounded_text(&mut v, field, value, 200);
        }
        if id.aliases.len() > 20 {
            v.note("identity.aliases", "at most 20");
        }
        for (i, alias) in id.aliases.iter().enumerate() {
            bounded_text(&mut v, &format!("identity.aliases[{i}]"), Some(alias), 200);
        }
        if id
            .date_of_birth
            .is_some_and(|d| d > today || d.year() < 1900)
        {
            v.note("identity.date_of_birth", "must be a past date after 1900");
        }
        if id.documents.len() > 10 {
            v.note("identity.documents", "at most 10");
        }
        for (i, doc) in self.identity.documents.iter_mut().enumerate() {
            bounded_text(
                &mut v,
                &format!("identity.documents[{i}].kind"),
                Some(&doc.kind),
                50,
            );
            bounded_text(
                &mut v,
                &format!("identity.documents[{i}].number"),
                Some(&doc.number),
                100,
            );
            doc.issuing_country = country(
                &mut v,
                &format!("identity.documents[{i}].issuing_country"),
                doc.issuing_country.as_deref(),
            );
        }
        let id = &self.identity;
        if let Some(phone) = &id.phone
            && !valid_phone(phone)
        {
            v.note(
                "identity.phone",
                "must be an international number such as +32470123456",
            );
        }
        if let Some(email) = &id.email {
            v.take(Email::parse("identity.email", email));
        }
        if let Some(contact) = &id.emergency_contact {
            bounded_text(
                &mut v,
                "identity.emergency_contact.name",
                Some(&contact.name),
                200,
            );
            if contact.phone.as_deref().is_some_and(|p| !valid_phone(p)) {
                v.note(
                    "identity.emergency_contact.phone",
                    "must be an international number such as +32470123456",
                );
            }
            bounded_text(
                &mut v,
                "identity.emergency_contact.relation",
                contact.relation.as_deref(),
                100,
            );
        }
        if self
            .birth_year
            .is_some_and(|y| y < 1900 || y > today.year())
        {
            v.note("birth_year", "must be a year between 1900 and this year");
        }
        if let (Some(year), Some(date)) = (self.birth_year, id.date_of_birth)
            && year != date.year()
        {
            v.note("birth_year", "does not match identity.date_of_birth");
        }
        self.nationality = country(&mut v, "nationality", self.nationality.as_deref());
        if self.languages.len() > 20 {
            v.note("languages", "at most 20");
        }
        for (i, language) in self.languages.iter().enumerate() {
            let ok = (2..=3).contains(&language.len())
                && language.chars().all(|c| c.is_ascii_lowercase());
            if !ok {
                v.note(
                    &format!("languages[{i}]"),
                    "must be an ISO 639 code such as `fr` or `tir`",
                );
            }
        }
        if self.trafficking_events.len() > 50 {
            v.note("trafficking_events", "at most 50");
        }
        for (i, event) in self.trafficking_events.iter_mut().enumerate() {
            event.country = country(
                &mut v,
                &format!("trafficking_events[{i}].country"),
                event.country.as_deref(),
            );
            if let (Some(from), Some(to)) = (event.from, event.to)
                && to < from
            {
                v.note(&format!("trafficking_events[{i}].to"), "is before `from`");
            }
        }
        if self.connected_persons.len() > 20 {
            v.note("connected_persons", "at most 20");
        }
        for (i, person) in self.connected_persons.iter().enumerate() {
            bounded_text(
                &mut v,
                &format!("connected_persons[{i}].name"),
                person.name.as_deref(),
                200,
            );
        }
        v.finish()
    }

    /// The age band: from the date of birth, else the birth year, else as given.
    #[must_use]
    pub fn derived_age_band(&self) -> AgeBand {
        let today = crate::now().date_naive();
        if let Some(dob) = self.identity.date_of_birth {
            let mut age = today.year() - dob.year();
            if (today.month(), today.day()) < (dob.month(), dob.day()) {
                age -= 1;
            }
            return AgeBand::of_age(age);
        }
        if let Some(year) = self.birth_year {
            return AgeBand::of_age(today.year() - year);
        }
        self.age_band.unwrap_or(AgeBand::Unknown)
    }
}

fn valid_phone(phone: &str) -> bool {
    let digits: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    digits.starts_with('+')
        && (8..=16).contains(&digits.len())
        && digits[1..].chars().all(|c| c.is_ascii_digit())
}

/// A client as stored, with the identity opened when the reader may see it.
#[derive(Clone, Debug)]
pub struct ClientView {
    pub row: client::Model,
    pub details: ClientDetails,
    /// Whether `details.identity` (and connected persons' names) were opened for this reader.
    pub identity_shown: bool,
}

/// What creating a client produced.
pub struct Created {
    pub view: ClientView,
    pub case_id: Uuid,
    /// Case codes of existing clients with the same name and date of birth.
    pub possible_duplicates: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredPerson {
    role: ConnectionRole,
    age_band: AgeBand,
    name_sealed: Option<String>,
}

fn field<'a>(tenant: TenantId, row: Uuid, name: &'a str) -> FieldRef<'a> {
    FieldRef {
        tenant,
        table: "clients",
        row,
        field: name,
    }
}

pub(crate) fn key_context(tenant: TenantId, client: Uuid) -> String {
    format!("client:{tenant}:{client}")
}

/// A client row with its wrapped data key, if it still has one.
#[derive(Debug, FromQueryResult)]
struct ClientWithKey {
    #[sea_orm(nested)]
    client: client::Model,
    master_key_id: Option<String>,
    wrapped_key: Option<String>,
}

/// Adds the client's wrapped data key to a query of clients as the columns `master_key_id` and
/// `wrapped_key` (nulls once the key was destroyed), so a client and its key come in one round
/// trip.
fn with_wrapped_key(query: sea_orm::Select<client::Entity>) -> sea_orm::Select<client::Entity> {
    let key_column = |column: client_key::Column| {
        let select = Query::select()
            .column((client_key::Entity, column))
            .from(client_key::Entity)
            .and_where(
                Expr::col((client_key::Entity, client_key::Column::TenantId))
                    .equals((client::Entity, client::Column::TenantId)),
            )
            .and_where(
                Expr::col((client_key::Entity, client_key::Column::ClientId))
                    .equals((client::Entity, client::Column::Id)),
            )
            .to_owned();
        SimpleExpr::SubQuery(None, Box::new(select.into()))
    };
    query
        .column_as(key_column(client_key::Column::MasterKeyId), "master_key_id")
        .column_as(key_column(client_key::Column::WrappedKey), "wrapped_key")
}

/// The client's data key; `None` when it was destroyed (the client was erased).
///
/// # Errors
/// Database errors, or a key that does not open with the master key.
pub(crate) async fn client_data_key<C: ConnectionTrait>(
    conn: &C,
    master: &MasterKey,
    tenant: TenantId,
    client_id: Uuid,
) -> DomainResult<Option<DataKey>> {
    let row = client_key::Entity::scoped(tenant)
        .filter(client_key::Column::ClientId.eq(client_id))
        .one(conn)
        .await?;
    row.map(|r| unwrap_client_key(master, tenant, client_id, &r.master_key_id, &r.wrapped_key))
        .transpose()
}

/// Opens a client's stored data key with the master key that wrapped it.
fn unwrap_client_key(
    master: &MasterKey,
    tenant: TenantId,
    client_id: Uuid,
    master_key_id: &str,
    wrapped: &str,
) -> DomainResult<DataKey> {
    DataKey::unwrap_stored(
        master,
        master_key_id,
        &key_context(tenant, client_id),
        wrapped,
    )
}

fn name_tokens(identity: &Identity) -> BTreeSet<String> {
    [
        identity.legal_given_name.as_deref(),
        identity.legal_family_name.as_deref(),
        identity.used_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain(identity.aliases.iter().map(String::as_str))
    .flat_map(|name| {
        fieldcrypt::normalise(name)
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    })
    .collect()
}

fn legal_name(identity: &Identity) -> Option<String> {
    let full = format!(
        "{} {}",
        identity.legal_given_name.as_deref().unwrap_or(""),
        identity.legal_family_name.as_deref().unwrap_or("")
    );
    let normalised = fieldcrypt::normalise(&full);
    (!normalised.is_empty()).then_some(normalised)
}

fn name_dob_index(master: &MasterKey, tenant: TenantId, identity: &Identity) -> Option<String> {
    let name = legal_name(identity)?;
    let dob = identity.date_of_birth?;
    Some(fieldcrypt::blind_index(
        master,
        tenant,
        "name-dob",
        &format!("{name}|{dob}"),
    ))
}

/// Writes the sealed and indexed parts of `details` onto `model`.
pub(crate) fn store_details(
    master: &MasterKey,
    key: &DataKey,
    tenant: TenantId,
    id: Uuid,
    details: &ClientDetails,
    model: &mut client::ActiveModel,
) -> DomainResult<()> {
    let identity_json =
        serde_json::to_vec(&details.identity).map_err(|e| DomainError::Internal(e.into()))?;
    model.identity_sealed = Set(Some(
        key.seal(&field(tenant, id, "identity"), &identity_json)?,
    ));
    model.name_index = Set(legal_name(&details.identity)
        .map(|n| fieldcrypt::blind_index(master, tenant, "legal-name", &n)));
    model.name_dob_index = Set(name_dob_index(master, tenant, &details.identity));
    model.gender = Set(details.gender.as_str().to_owned());
    model.birth_year = Set(details
        .birth_year
        .or_else(|| details.identity.date_of_birth.map(|d| d.year())));
    model.age_band = Set(details.derived_age_band().as_str().to_owned());
    model.nationality = Set(details.nationality.clone());
    let mut languages = details.languages.clone();
    languages.sort();
    languages.dedup();
    model.languages = Set(languages.join(","));
    model.exploitation_types = Set(vocab::join(
        &details.exploitation_types,
        ExploitationType::as_str,
    ));
    model.needs = Set(vocab::join(&details.needs, Need::as_str));
    model.trafficking_status = Set(details.trafficking_status.as_str().to_owned());
    model.status_decided_by = Set(details.status_decided_by.map(|d| d.as_str().to_owned()));
    model.recruitment_methods = Set(vocab::join(
        &details.recruitment_methods,
        RecruitmentMethod::as_str,
    ));
    model.control_methods = Set(vocab::join(&details.control_methods, ControlMethod::as_str));
    model.trafficking_events = Set(serde_json::to_string(&details.trafficking_events)
        .map_err(|e| DomainError::Internal(e.into()))?);
    let mut persons = Vec::new();
    for (i, person) in details.connected_persons.iter().enumerate() {
        let name_field = format!("connected_persons.{i}.name");
        persons.push(StoredPerson {
            role: person.role,
            age_band: person.age_band,
            name_sealed: person
                .name
                .as_deref()
                .map(|n| key.seal_str(&field(tenant, id, &name_field), n))
                .transpose()?,
        });
    }
    model.connected_persons =
        Set(serde_json::to_string(&persons).map_err(|e| DomainError::Internal(e.into()))?);

    Ok(())
}

/// The blind-indexed name tokens of a client, as rows.
pub(crate) fn name_index_rows(
    master: &MasterKey,
    tenant: TenantId,
    id: Uuid,
    identity: &Identity,
) -> Vec<client_name_index::ActiveModel> {
    name_tokens(identity)
        .into_iter()
        .map(|token| client_name_index::ActiveModel {
            tenant_id: Set(*tenant.as_uuid()),
            token: Set(fieldcrypt::blind_index(
                master,
                tenant,
                "name-token",
                &token,
            )),
            client_id: Set(id),
        })
        .collect()
}

/// The row that keeps a client's data key, wrapped by the master key.
pub(crate) fn key_row(
    master: &MasterKey,
    key: &DataKey,
    tenant: TenantId,
    id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<client_key::ActiveModel> {
    Ok(client_key::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        client_id: Set(id),
        master_key_id: Set(master.id().to_owned()),
        wrapped_key: Set(key.wrap(master, &key_context(tenant, id))?),
        created_at: Set(now),
    })
}

/// Replaces the blind-indexed name tokens of a client (after its row exists).
async fn store_name_tokens(
    txn: &DatabaseTransaction,
    master: &MasterKey,
    tenant: TenantId,
    id: Uuid,
    identity: &Identity,
) -> DomainResult<()> {
    client_name_index::Entity::delete_many()
        .filter(client_name_index::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(client_name_index::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    let rows = name_index_rows(master, tenant, id, identity);
    if !rows.is_empty() {
        client_name_index::Entity::insert_many(rows)
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Reads a stored client back, opening the identity when `key` is given.
pub(crate) fn read_details(
    row: &client::Model,
    key: Option<&DataKey>,
) -> DomainResult<ClientDetails> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let identity = match (key, &row.identity_sealed) {
        (Some(key), Some(sealed)) => {
            serde_json::from_slice(&key.open(&field(tenant, row.id, "identity"), sealed)?)
                .map_err(|e| DomainError::Internal(e.into()))?
        }
        _ => Identity::default(),
    };
    let stored: Vec<StoredPerson> =
        serde_json::from_str(&row.connected_persons).unwrap_or_default();
    let mut persons = Vec::new();
    for (i, person) in stored.into_iter().enumerate() {
        let name = match (key, &person.name_sealed) {
            (Some(key), Some(sealed)) => Some(key.open_str(
                &field(tenant, row.id, &format!("connected_persons.{i}.name")),
                sealed,
            )?),
            _ => None,
        };
        persons.push(ConnectedPerson {
            role: person.role,
            age_band: person.age_band,
            name,
        });
    }
    Ok(ClientDetails {
        identity,
        gender: Gender::parse(&row.gender).unwrap_or(Gender::Unknown),
        birth_year: row.birth_year,
        age_band: AgeBand::parse(&row.age_band),
        nationality: row.nationality.clone(),
        languages: row
            .languages
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        exploitation_types: vocab::split(&row.exploitation_types, ExploitationType::parse),
        needs: vocab::split(&row.needs, Need::parse),
        trafficking_status: TraffickingStatus::parse(&row.trafficking_status)
            .unwrap_or(TraffickingStatus::Possible),
        status_decided_by: row
            .status_decided_by
            .as_deref()
            .and_then(DecidingOrganisation::parse),
        recruitment_methods: vocab::split(&row.recruitment_methods, RecruitmentMethod::parse),
        control_methods: vocab::split(&row.control_methods, ControlMethod::parse),
        trafficking_events: serde_json::from_str(&row.trafficking_events).unwrap_or_default(),
        connected_persons: persons,
    })
}

/// The next case code of the tenant for this year: `<country>-<year>-<number>`.
async fn next_case_code(txn: &DatabaseTransaction, tenant: TenantId) -> DomainResult<String> {
    let year = crate::now().year();
    let country = tenant::Entity::find_by_id(*tenant.as_uuid())
        .one(txn)
        .await?
        .map_or_else(|| "XX".to_owned(), |t| t.country);
    let mut insert = Query::insert();
    insert
        .into_table(case_code_counter::Entity)
        .columns([
            case_code_counter::Column::TenantId,
            case_code_counter::Column::Year,
            case_code_counter::Column::LastValue,
        ])
        .values_panic([(*tenant.as_uuid()).into(), year.into(), 1.into()])
        .on_conflict(
            OnConflict::columns([
                case_code_counter::Column::TenantId,
                case_code_counter::Column::Year,
            ])
            .value(
                case_code_counter::Column::LastValue,
                sea_orm::sea_query::Expr::col((
                    case_code_counter::Entity,
                    case_code_counter::Column::LastValue,
                ))
                .add(1),
            )
            .to_owned(),
        )
        .returning_col(case_code_counter::Column::LastValue);
    let statement = txn.get_database_backend().build(&insert);
    let row = txn.query_one_raw(statement).await?.ok_or_else(|| {
        DomainError::Internal(anyhow::anyhow!("the case-code counter returned nothing"))
    })?;
    let number: i32 = row.try_get("", "last_value")?;
    Ok(format!("{country}-{year}-{number:04}"))
}

/// Registers a client and opens their first case (stage `signalled`) with the caller as its
/// lead. Possible duplicates (same legal name and date of birth) are reported, not refused.
///
/// # Errors
/// `Forbidden` without `cases.work`; `Invalid` details; database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    mut details: ClientDetails,
    reason: Option<&str>,
) -> DomainResult<Created> {
    access::require(db, scope, Permission::CasesWork).await?;
    details.validate()?;
    let txn = scope.begin(db).await?;
    let created = create_in(&txn, master, scope, &details, reason).await?;
    txn.commit().await?;
    Ok(created)
}

/// Registers a client and opens their first case inside `txn` (the caller checked the
/// permission and validated `details`).
pub(crate) async fn create_in(
    txn: &DatabaseTransaction,
    master: &MasterKey,
    scope: &TenantScope,
    details: &ClientDetails,
    reason: Option<&str>,
) -> DomainResult<Created> {
    let tenant = scope.tenant_id();
    let id = Uuid::now_v7();
    let duplicates_of = name_dob_index(master, tenant, &details.identity);
    let possible_duplicates = match &duplicates_of {
        Some(index) => client::Entity::scoped(tenant)
            .filter(client::Column::NameDobIndex.eq(index.clone()))
            .order_by_asc(client::Column::CaseCode)
            .all(txn)
            .await?
            .into_iter()
            .map(|c| c.case_code)
            .collect(),
        None => Vec::new(),
    };
    let key = DataKey::generate()?;
    let now = crate::now();
    let case_code = next_case_code(txn, tenant).await?;
    let mut model = client::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_code: Set(case_code),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    store_details(master, &key, tenant, id, details, &mut model)?;
    let row = model.insert(txn).await?;
    store_name_tokens(txn, master, tenant, id, &details.identity).await?;
    key_row(master, &key, tenant, id, now)?.insert(txn).await?;
    audit::record(
        txn,
        tenant,
        Event::new("client.created", Actor::user(scope), Outcome::Success)
            .target("client", id)
            .details(serde_json::json!({"possible_duplicates": possible_duplicates.len()})),
    )
    .await?;
    let case_id = cases::open_in(txn, master, scope, &key, id, reason).await?;
    let details = read_details(&row, Some(&key))?;
    Ok(Created {
        view: ClientView {
            row,
            details,
            identity_shown: true,
        },
        case_id,
        possible_duplicates,
    })
}

/// Clients whose (sorted, comma-separated) exploitation types include `kind`.
pub(crate) fn has_exploitation_type(kind: ExploitationType) -> sea_orm::Condition {
    let name = kind.as_str();
    sea_orm::Condition::any()
        .add(client::Column::ExploitationTypes.eq(name))
        .add(client::Column::ExploitationTypes.starts_with(format!("{name},")))
        .add(client::Column::ExploitationTypes.ends_with(format!(",{name}")))
        .add(client::Column::ExploitationTypes.contains(format!(",{name},")))
}

/// Filters of the client list.
#[derive(Debug, Default, Clone)]
pub struct ClientFilter {
    /// Words of a name; matches clients with all of them (through the blind index).
    pub name: Option<String>,
    pub nationality: Option<String>,
    pub exploitation_type: Option<ExploitationType>,
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// The clients the caller may see, without identities.
///
/// # Errors
/// `Forbidden` without `cases.work`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    filter: &ClientFilter,
) -> DomainResult<Vec<ClientView>> {
    access::require(db, scope, Permission::CasesWork).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let mut query = client::Entity::scoped(tenant)
        .filter(client::Column::Id.in_subquery(visible_client_ids(scope)))
        .order_by_asc(client::Column::Id);
    if let Some(name) = &filter.name {
        let tokens: BTreeSet<String> = fieldcrypt::normalise(name)
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        if tokens.is_empty() {
            return Ok(Vec::new());
        }
        for token in tokens {
            let index = fieldcrypt::blind_index(master, tenant, "name-token", &token);
            query = query.filter(
                client::Column::Id.in_subquery(
                    Query::select()
                        .column(client_name_index::Column::ClientId)
                        .from(client_name_index::Entity)
                        .and_where(client_name_index::Column::TenantId.eq(*tenant.as_uuid()))
                        .and_where(client_name_index::Column::Token.eq(index))
                        .to_owned(),
                ),
            );
        }
    }
    if let Some(nationality) = &filter.nationality {
        let code = CountryCode::parse("nationality", nationality)?;
        query = query.filter(client::Column::Nationality.eq(code.into_inner()));
    }
    if let Some(kind) = filter.exploitation_type {
        query = query.filter(has_exploitation_type(kind));
    }
    if let Some(after) = filter.after {
        query = query.filter(client::Column::Id.gt(after));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    tenancy::end_read(txn).await?;
    rows.into_iter()
        .map(|row| {
            let details = read_details(&row, None)?;
            Ok(ClientView {
                row,
                details,
                identity_shown: false,
            })
        })
        .collect()
}

/// One client. The identity is opened (and the reading audited) only for readers with
/// `clients.identity_read`; others get the record without it.
///
/// # Errors
/// `NotFound` for clients the caller may not see (or another tenant's); database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ClientView> {
    let tenant = scope.tenant_id();
    let show = scope.has(Permission::ClientIdentityRead);
    let txn = scope.begin(db).await?;
    let query = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(id))
        .filter(client::Column::Id.in_subquery(visible_client_ids(scope)));
    // Who may read the identity gets the client's wrapped data key in the same statement, which
    // also records the reading (rolled back below if the key does not open).
    let found = if show {
        let event = Event::new("client.identity_read", Actor::user(scope), Outcome::Success)
            .target("client", id);
        audit::read_recorded(&txn, tenant, with_wrapped_key(query).into_query(), event).await?
    } else {
        query.one(&txn).await?.map(|client| ClientWithKey {
            client,
            master_key_id: None,
            wrapped_key: None,
        })
    };
    let Some(found) = found else {
        drop(txn);
        return Err(access::not_found(db, scope, "client", id).await);
    };
    let row = found.client;
    let key = match (found.master_key_id, found.wrapped_key) {
        (Some(key_id), Some(wrapped)) => {
            Some(unwrap_client_key(master, tenant, id, &key_id, &wrapped)?)
        }
        _ => None,
    };
    if show {
        txn.commit().await?;
    } else {
        tenancy::end_read(txn).await?;
    }
    let details = read_details(&row, key.as_ref())?;
    Ok(ClientView {
        identity_shown: key.is_some(),
        row,
        details,
    })
}

/// The version tag of a client, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &client::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Replaces a client's details. Needs `If-Match` with the version the caller read.
///
/// # Errors
/// `NotFound`; `Forbidden` without `clients.identity_read` (the identity is part of the
/// details); `PreconditionRequired`/`PreconditionFailed`; `Invalid`; database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    mut details: ClientDetails,
    if_match: Option<&str>,
) -> DomainResult<ClientView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let row = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(id))
        .filter(client::Column::Id.in_subquery(visible_client_ids(scope)))
        .one(&txn)
        .await?;
    let Some(row) = row else {
        drop(txn);
        return Err(access::not_found(db, scope, "client", id).await);
    };
    if !scope.has(Permission::ClientIdentityRead) {
        drop(txn);
        return Err(access::forbidden(db, scope, Permission::ClientIdentityRead).await);
    }
    details.validate()?;
    crate::access::check_version(if_match, &etag(&row))?;
    let key = client_data_key(&txn, master, tenant, id)
        .await?
        .ok_or_else(|| DomainError::conflict("client_erased", "This client's data was erased."))?;
    let mut model: client::ActiveModel = row.into();
    store_details(master, &key, tenant, id, &details, &mut model)?;
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    store_name_tokens(&txn, master, tenant, id, &details.identity).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("client.updated", Actor::user(scope), Outcome::Success).target("client", id),
    )
    .await?;
    txn.commit().await?;
    let details = read_details(&updated, Some(&key))?;
    Ok(ClientView {
        row: updated,
        details,
        identity_shown: true,
    })
}

/// Loads a client row visible to the caller (for cases).
pub(crate) async fn visible_row<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<client::Model>> {
    Ok(client::Entity::scoped(scope.tenant_id())
        .filter(client::Column::Id.eq(id))
        .filter(client::Column::Id.in_subquery(visible_client_ids(scope)))
        .one(conn)
        .await?)
}

/// Case codes by client id, for listing cases.
pub(crate) async fn case_codes<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    ids: Vec<Uuid>,
) -> DomainResult<std::collections::HashMap<Uuid, String>> {
    // Only the two columns: a client row carries every sealed field of the record.
    Ok(client::Entity::scoped(tenant)
        .select_only()
        .column(client::Column::Id)
        .column(client::Column::CaseCode)
        .filter(client::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}
