//! A case's timeline: everything that happened on it, newest first, in one list — stage
//! changes, interviews, placements, notes, deadlines, support goals and reviews, services,
//! documents, proceedings and hearings, tasks, and incidents naming the case's code. Entries carry a short summary that is never sensitive (no names, narratives or
//! note bodies), a link to the full record (which applies its own rules), and the time.

use crate::access::not_found;
use crate::entities::{
    bed, case, case_note, case_transition, deadline, document, hearing, incident, interview,
    legal_proceeding, placement, service_entry, shelter, support_goal, support_review, task,
};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::TenantScope;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{ColumnTrait as _, ConnectionTrait, DatabaseConnection, QueryFilter as _};
use std::collections::HashMap;
use uuid::Uuid;

/// One event of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    /// `stage`, `interview`, `placement`, `note`, `deadline`, …
    pub kind: &'static str,
    pub id: Uuid,
    pub summary: String,
    /// The API path of the full record.
    pub link: String,
}

fn day(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::MIN).and_utc()
}

/// A position in the timeline, for paging: entries strictly older than it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    /// The cursor text: `<micros>_<id>`.
    #[must_use]
    pub fn encode(entry: &Entry) -> String {
        format!("{}_{}", entry.at.timestamp_micros(), entry.id)
    }

    /// # Errors
    /// `Invalid` for a malformed cursor.
    pub fn decode(text: &str) -> DomainResult<Self> {
        let bad = || DomainError::invalid("cursor", "is not one this API gave out");
        let (micros, id) = text.split_once('_').ok_or_else(bad)?;
        let at =
            DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
        Ok(Self {
            at,
            id: Uuid::try_parse(id).map_err(|_| bad())?,
        })
    }
}

async fn core_entries<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    case_id: Uuid,
) -> DomainResult<Vec<Entry>> {
    let tenant = scope.tenant_id();
    let mut entries = Vec::new();
    for t in case_transition::Entity::scoped(tenant)
        .filter(case_transition::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        let summary = match &t.from_stage {
            Some(from) => format!("Stage changed from {from} to {}", t.to_stage),
            None => format!("Case opened ({})", t.to_stage),
        };
        entries.push(Entry {
            at: t.occurred_at,
            kind: "stage",
            id: t.id,
            summary,
            link: format!("/api/v1/cases/{case_id}/transitions"),
        });
    }
    for i in interview::Entity::scoped(tenant)
        .filter(interview::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: day(i.held_on),
            kind: "interview",
            id: i.id,
            summary: format!(
                "Identification interview (presumed victim: {})",
                i.presumed_victim
            ),
            link: format!("/api/v1/interviews/{}", i.id),
        });
    }
    let placements = placement::Entity::scoped(tenant)
        .filter(placement::Column::CaseId.eq(case_id))
        .all(conn)
        .await?;
    let shelters: HashMap<Uuid, String> = shelter::Entity::scoped(tenant)
        .filter(
            shelter::Column::Id.is_in(placements.iter().map(|p| p.shelter_id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let beds: HashMap<Uuid, String> = bed::Entity::scoped(tenant)
        .filter(bed::Column::Id.is_in(placements.iter().map(|p| p.bed_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|b| (b.id, b.label))
        .collect();
    for p in placements {
        let place = format!(
            "{}, bed {}",
            shelters
                .get(&p.shelter_id)
                .map_or("a shelter", String::as_str),
            beds.get(&p.bed_id).map_or("?", String::as_str)
        );
        entries.push(Entry {
            at: day(p.start_on),
            kind: "placement",
            id: p.id,
            summary: format!("Placement in {place} ({})", p.status),
            link: format!("/api/v1/placements/{}", p.id),
        });
        if let (Some(left), Some(reason)) = (p.left_at, &p.leave_reason) {
            entries.push(Entry {
                at: left,
                kind: "placement",
                id: Uuid::new_v5(&p.id, b"left"),
                summary: format!("Left {place} ({reason})"),
                link: format!("/api/v1/placements/{}", p.id),
            });
        }
    }
    for n in case_note::Entity::scoped(tenant)
        .filter(case_note::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        let summary = if n.version == 1 {
            format!("Note written ({})", n.visibility)
        } else {
            format!("Note corrected (version {})", n.version)
        };
        entries.push(Entry {
            at: n.created_at,
            kind: "note",
            id: n.id,
            summary,
            link: format!("/api/v1/notes/{}", n.note_id),
        });
    }
    for d in deadline::Entity::scoped(tenant)
        .filter(deadline::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: d.completed_at.unwrap_or_else(|| day(d.due_on)),
            kind: "deadline",
            id: d.id,
            summary: format!("{} ({})", d.title, d.status),
            link: format!("/api/v1/deadlines/{}", d.id),
        });
    }
    Ok(entries)
}

async fn assistance_entries<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    case_row: &case::Model,
    case_code: Option<&str>,
) -> DomainResult<Vec<Entry>> {
    let tenant = scope.tenant_id();
    let case_id = case_row.id;
    let mut entries = Vec::new();
    for g in support_goal::Entity::scoped(tenant)
        .filter(support_goal::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: g.created_at,
            kind: "goal",
            id: g.id,
            summary: format!("Support goal set ({}, {})", g.area, g.status),
            link: format!("/api/v1/goals/{}", g.id),
        });
    }
    for r in support_review::Entity::scoped(tenant)
        .filter(support_review::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: day(r.held_on),
            kind: "review",
            id: r.id,
            summary: "Support plan reviewed".to_owned(),
            link: format!("/api/v1/reviews/{}", r.id),
        });
    }
    for e in service_entry::Entity::scoped(tenant)
        .filter(service_entry::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: day(e.provided_on),
            kind: "service",
            id: e.id,
            summary: format!(
                "Service: {} ({}, {} min)",
                e.service_type, e.area, e.duration_minutes
            ),
            link: format!("/api/v1/services/{}", e.id),
        });
    }
    for d in document::Entity::scoped(tenant)
        .filter(document::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: d.updated_at,
            kind: "document",
            id: d.id,
            summary: format!("Document: {} ({})", d.kind, d.status),
            link: format!("/api/v1/documents/{}", d.id),
        });
    }
    for p in legal_proceeding::Entity::scoped(tenant)
        .filter(legal_proceeding::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: p.created_at,
            kind: "proceeding",
            id: p.id,
            summary: format!("Legal proceeding: {} ({})", p.proceeding_type, p.status),
            link: format!("/api/v1/proceedings/{}", p.id),
        });
    }
    for h in hearing::Entity::scoped(tenant)
        .filter(hearing::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: h.held_at,
            kind: "hearing",
            id: h.id,
            summary: format!("Hearing ({})", h.status),
            link: format!("/api/v1/hearings/{}", h.id),
        });
    }
    for t in task::Entity::scoped(tenant)
        .filter(task::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
    {
        entries.push(Entry {
            at: t.due_at,
            kind: "task",
            id: t.id,
            summary: format!(
                "{} ({})",
                if t.kind == "appointment" {
                    "Appointment"
                } else {
                    "Task"
                },
                t.status
            ),
            link: format!("/api/v1/tasks/{}", t.id),
        });
    }
    if let Some(code) = case_code {
        let opened = case_row.opened_at;
        for i in incident::Entity::scoped(tenant)
            .filter(
                sea_orm::Condition::any()
                    .add(incident::Column::InvolvedCaseCodes.eq(code))
                    .add(incident::Column::InvolvedCaseCodes.starts_with(format!("{code},")))
                    .add(incident::Column::InvolvedCaseCodes.ends_with(format!(",{code}")))
                    .add(incident::Column::InvolvedCaseCodes.contains(format!(",{code},"))),
            )
            .filter(incident::Column::OccurredAt.gte(opened))
            .all(conn)
            .await?
        {
            entries.push(Entry {
                at: i.occurred_at,
                kind: "incident",
                id: i.id,
                summary: format!("Incident: {} ({})", i.category, i.severity),
                link: format!("/api/v1/incidents/{}", i.id),
            });
        }
    }
    Ok(entries)
}

/// A page of a visible case's timeline, newest first.
///
/// # Errors
/// `NotFound` for a case the caller may not see; database errors.
pub async fn timeline(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    before: Option<Cursor>,
    limit: u64,
) -> DomainResult<Vec<Entry>> {
    let txn = scope.begin(db).await?;
    let visible = crate::cases::visible_case(&txn, scope, case_id).await?;
    let Some(case_row) = visible else {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    };
    let case_code = crate::clients::case_codes(&txn, scope.tenant_id(), vec![case_row.client_id])
        .await?
        .remove(&case_row.client_id);
    let mut entries = core_entries(&txn, scope, case_id).await?;
    entries.extend(assistance_entries(&txn, scope, &case_row, case_code.as_deref()).await?);
    txn.commit().await?;
    entries.sort_by_key(|e| std::cmp::Reverse((e.at, e.id)));
    Ok(entries
        .into_iter()
        .filter(|e| before.is_none_or(|c| (e.at, e.id) < (c.at, c.id)))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect())
}
