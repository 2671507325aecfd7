//! The demo library's course for medical personnel on the health needs of trafficked persons.
//! Written for Haven's demo from the indicator groups and service areas the product models;
//! a real-shaped example, not clinical guidance.

use crate::training::content::{CourseContent, ModuleContent};
use crate::vocab::Audience;

/// The course's first version.
#[must_use]
pub fn content() -> CourseContent {
    CourseContent {
        title: "Health needs of trafficked persons".to_owned(),
        summary: "A one-day course for doctors, nurses, midwives and emergency staff: how \
            exploitation shows in a consultation, what care a presumed victim needs, how to \
            speak with someone who may be controlled, and how to refer safely to a specialised \
            centre without putting the person at risk."
            .to_owned(),
        audiences: vec![Audience::MedicalPersonnel],
        languages: vec!["en".to_owned(), "nl".to_owned(), "fr".to_owned()],
        duration_minutes: 420,
        objectives: vec![
            "Recognise the signs of trafficking that appear in health settings".to_owned(),
            "Describe the physical and mental health consequences of the main forms of \
             exploitation"
                .to_owned(),
            "Hold a private, trauma-aware conversation with an interpreter of the patient's \
             choosing"
                .to_owned(),
            "Refer a presumed victim to a specialised centre and keep the record confidential"
                .to_owned(),
        ],
        modules: vec![
            ModuleContent::new("Why the consultation room matters", MODULE_1),
            ModuleContent::new("The physical picture", MODULE_2),
            ModuleContent::new("Mental health and trauma-aware care", MODULE_3),
            ModuleContent::new("Talking safely, recording, referring", MODULE_4),
        ],
    }
}

const MODULE_1: &str = r"
## Why the consultation room matters

Many people in exploitation see no police officer, no labour inspector and no social worker
for months or years. A health worker is often the **only outsider** they meet: in an emergency
department after an injury at work, at a clinic for a pregnancy, at a pharmacy for pain relief.
That contact is an opportunity, and it is usually short.

People who are trafficked rarely say so. They may not know the word, may fear deportation or
reprisals against their family, may owe a debt they feel bound to repay, or may have been told
that doctors report to the police. Recognition therefore rests on **indicators**, not on
disclosure.

### Indicator groups seen in health settings

| Group | What you may notice |
|---|---|
| Control by others | Someone insists on staying, answers for the patient, holds the appointment card, pays in cash |
| Retained documents | The patient has no identity papers or insurance card, or says the employer keeps them |
| Restricted movement, isolation | Does not know the address where they live or work; cannot come back alone |
| Debt and withheld wages | Mentions a debt for travel or housing that keeps growing; has no money of their own |
| Abusive working and living conditions | Injuries from unsafe work, exhaustion, many people in one room, no days off |
| Deception | The job or situation turned out different from what was promised |
| Coercion and threats | Fear for relatives at home, fear of a person who is waiting outside |
| Dependency | Language, irregular status or substance use that others exploit |
| Signs of abuse | Injuries in different stages of healing, explanations that do not fit |

No single sign proves anything. Several together, and the feeling that **the patient is not free
to speak**, are reason enough to make space for a private conversation.

### What this course does not ask of you

You are not asked to investigate, to decide whether a crime took place, or to convince anyone to
leave. Your part is to **notice, care, document and offer a safe way to help** — the
specialised centre and, if the person wishes, the police take it from there.
";

const MODULE_2: &str = r"
## The physical picture

Exploitation leaves traces that depend on its form, its length and the conditions of living.
Expect several problems at once, often untreated for a long time.

### By form of exploitation

- **Labour exploitation** (agriculture, construction, factories, car washes, fishing):
  musculoskeletal injuries, cuts and fractures, burns, exposure to chemicals and pesticides,
  heat stress and dehydration, hearing loss, untreated occupational disease.
- **Sexual exploitation**: sexually transmitted infections, repeated unwanted pregnancies and
  unsafe abortions, pelvic pain, injuries from violence, chronic sleep loss.
- **Domestic servitude**: malnutrition, exhaustion, injuries from beatings, isolation-related
  depression, untreated chronic illness.
- **Forced begging and forced criminal activity**: injuries used to draw sympathy, substance
  dependence, exposure to cold and violence on the street.
- **Forced marriage, illegal adoption and surrogacy**: reproductive coercion, pregnancy
  complications, injuries from violence within the household.

### Often overlooked

1. **Dental pain** and infections — among the most frequent complaints after arrival.
2. **Vision and hearing**: unchecked for years.
3. **Chronic conditions** (diabetes, hypertension, epilepsy) left without medication.
4. **Infectious disease**: tuberculosis, hepatitis B and C, HIV — offer testing with consent and
   explain it; never test without it.
5. **Nutrition** and weight loss.
6. **Children** who came with the person or were born during exploitation: vaccination,
   growth, development.

### Practical points

- Treat what hurts first. Trust grows from care that helps now.
- Ask before examining; explain each step; offer a clinician of the gender the patient prefers.
- Record injuries factually (site, size, appearance, the patient's own account in quotation
  marks). A careful record may later support the person's claims — but only with their consent
  may it leave your service.
";

const MODULE_3: &str = r"
## Mental health and trauma-aware care

Most survivors show **psychological effects** of what happened: prolonged fear, intrusive
memories, nightmares, low mood, anxiety, shame, anger, difficulty concentrating and
remembering. Some dissociate during questioning. None of this means the person is lying;
memory after trauma is often fragmented and out of order.

### Substance use

Alcohol, sedatives or drugs may have been **imposed** as a means of control, or taken later to
cope. Approach it as a health need, not a moral failing, and plan withdrawal safely.

### Principles for every contact

- **Safety** — a quiet, private room; the door visible; no one from the patient's work present.
- **Choice** — the patient decides what to talk about and may stop at any time.
- **Control** — explain what you will do and why, and ask permission.
- **Trust** — be predictable: keep appointments, say what you can and cannot do.
- **Collaboration** — work with the specialised centre's psychosocial staff rather than alone.

### Avoid making it worse

- Do not ask for the whole story; it is not needed for care and each telling costs a great deal.
- Do not press for dates and places; leave that to the specialised interview.
- Do not promise what you cannot guarantee (a residence permit, that no one will ever know).
- Watch your own reaction: disbelief or visible shock is felt immediately.

### When to refer to mental-health services

Refer when symptoms persist, when there are thoughts of self-harm or suicide (assess and act the
same day), or when sleep, eating or daily functioning are badly affected. The specialised
centre can arrange therapists who work with interpreters and with survivors of exploitation.
";

const MODULE_4: &str = r"
## Talking safely, recording, referring

### Making space to talk

1. See the patient **alone** for part of the visit. A neutral reason helps: *we always examine
   patients alone for part of the consultation*.
2. Use a **professional interpreter**, by phone if need be — never the companion, a relative or
   another patient. Check that the interpreter is not known to the patient.
3. Start with care and simple questions: *Do you feel safe where you live? Can you come and go
   as you wish? Is someone keeping your papers? Do you owe money to your employer?*
4. Listen; do not push. If the person does not want help today, give a way to come back — an
   appointment, a small card with the centre's number that is safe to carry.

### Never

- Confront the person you suspect of control, or let them see that you suspect anything.
- Contact the police against the wishes of an adult patient, except where the law or an
  imminent danger to life requires it. For **children**, follow your child-protection duty at
  once: a minor cannot consent to their own exploitation.

### The record

Write what you saw and what the patient said, dated and signed, in the medical record only.
Keep suspicions of trafficking out of letters, invoices and insurance forms that others may
read. Sharing with the specialised centre needs the patient's **informed consent**: what will be
shared, with whom, for what, and how to withdraw it.

### The referral

- Call the **specialised centre** (in Belgium, one of the recognised centres; elsewhere the
  national referral mechanism's contact point) with the patient present if they wish.
- The centre offers shelter, a reflection period, administrative and legal support, and
  continued medical and psychosocial care.
- Agree on how the patient can reach you again, and check that any follow-up appointment does
  not put them at risk.

### Continuity of care

Once in assistance, the person needs **health insurance** and a regular doctor. Work with the
centre's social worker on registration, keep the same clinician where possible, and plan
follow-up for the conditions found at the first visit.
";
