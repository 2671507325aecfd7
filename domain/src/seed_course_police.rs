//! The demo library's course for police on identifying presumed victims of trafficking.
//! Written for Haven's demo from the indicator groups, the Belgian procedure and the Council of
//! Europe rules the product models; a real-shaped example, not legal advice.

use crate::training::content::{CourseContent, ModuleContent};
use crate::vocab::Audience;

/// The course's first version.
#[must_use]
pub fn content() -> CourseContent {
    CourseContent {
        title: "Identifying presumed victims of trafficking".to_owned(),
        summary: "A two-day course for patrol officers, investigators and border police: what \
            trafficking is and is not, the indicators to look for during controls and \
            interventions, how to hold a first conversation that keeps the person safe, and \
            how to refer a presumed victim so that their rights — a reflection period, \
            assistance, protection — begin at once."
            .to_owned(),
        audiences: vec![Audience::Police, Audience::Military, Audience::Peacekeepers],
        languages: vec!["en".to_owned(), "fr".to_owned(), "nl".to_owned()],
        duration_minutes: 840,
        objectives: vec![
            "Distinguish trafficking from smuggling and from poor working conditions".to_owned(),
            "Apply the indicator groups during controls, raids and traffic stops".to_owned(),
            "Conduct a safe first contact and separate the person from a suspected controller"
                .to_owned(),
            "Refer a presumed victim to a specialised centre and explain their rights".to_owned(),
        ],
        modules: vec![
            ModuleContent::new("What trafficking is", MODULE_1),
            ModuleContent::new("Indicators in the field", MODULE_2),
            ModuleContent::new("The first contact", MODULE_3),
            ModuleContent::new("Referral and the person's rights", MODULE_4),
            ModuleContent::new("Case exercise: the car wash", MODULE_5),
        ],
    }
}

const MODULE_1: &str = r"
## What trafficking is

Trafficking in human beings has three elements:

1. **An act** — recruiting, transporting, transferring, harbouring or receiving a person;
2. **A means** — threats, force, deception, abuse of a position of vulnerability, debts,
   payments to someone who has control over the person;
3. **A purpose of exploitation** — sexual exploitation, forced labour or services, servitude,
   forced begging, forced criminal activity, organ removal, and, since EU directive 2024/1712,
   forced marriage, illegal adoption and exploitation of surrogacy.

For **children** the means do not matter: moving or receiving a child for exploitation is
trafficking.

### Not the same as smuggling

| | Smuggling | Trafficking |
|---|---|---|
| What it is | A crime against the state's border | A crime against the person |
| Consent | The migrant agrees to be moved | Any consent is obtained by deception or force, or does not count |
| Border | Always crossed | Need not be crossed at all — people are trafficked within their own country |
| After arrival | The relationship ends | Exploitation continues, often through debt |

A smuggled person can **become** a trafficked person, for example when a debt for the journey is
turned into forced work.

### People rarely identify themselves

Fear of the exploiters, of deportation, of the police; loyalty or love for a recruiter; shame;
not knowing their rights — all keep people silent. Your identification does not need certainty:
**reasonable grounds** that someone may be a victim are enough to start protection.

### Non-punishment

A victim compelled to commit offences — illegal work, false documents, drug cultivation,
theft — should not be punished for them. Treat the person as a possible victim first.
";

const MODULE_2: &str = r"
## Indicators in the field

Indicators are what you can **see and hear** during a control, an intervention or a call. One
alone proves nothing; several together call for a closer look.

### The indicator groups

- **Deception** — the job, pay or conditions differ from what was promised; false promises of
  marriage or study.
- **Coercion and threats** — to the person, to their children or family at home; threats of
  denunciation to the authorities.
- **Restriction of movement and isolation** — locked premises, escorts, no knowledge of the
  address, no phone of their own, no contact with anyone outside work.
- **Retention of identity documents** — the employer or a third person keeps passports and
  permits.
- **Debt bondage and withheld wages** — a debt for travel, housing, food or tools that grows
  faster than it is paid; wages paid to someone else; fines.
- **Abusive working and living conditions** — excessive hours, no days off, sleeping at the
  workplace, many people in one room, no protective equipment.
- **Dependency** — on the employer for housing, food, language, legal status, or substances.
- **Signs of physical or psychological abuse** — injuries, fear, anxiety, apathy, scripted
  answers.
- **Control by others** — someone speaks for the person, answers questions addressed to them,
  arrives quickly after a control, holds everyone's papers.

### Where you may meet them

| Setting | What to look for |
|---|---|
| Traffic stops | Several workers in a van with one person holding all documents; no idea of destination |
| Premises checks | People sleeping on site, locked doors, work at night, cash-only payment |
| Sex work venues and online ads | The same phone number for many ads; someone else handling money; signs of minors |
| Begging | The same people dropped off and collected; children out of school |
| Domestic calls | A household worker who never goes out, does not hold her own papers |

### Record what you observe

Write down each indicator with the facts behind it. These notes support the decision to refer
and later, if the person cooperates, the investigation.
";

const MODULE_3: &str = r"
## The first contact

The first minutes decide whether the person will trust anyone again. Aim for **safety first,
information second**.

### Before speaking

- **Separate** the person from anyone who may control them — calmly, as a routine step applied
  to everyone present.
- Find a place where they cannot be seen or overheard by colleagues of the suspected controller.
- Call a **professional interpreter**. Never use a fellow worker, a companion or a child.
- If possible, a colleague of the gender the person prefers.

### Speaking

1. Introduce yourself and explain that you are there to check that people are safe.
2. Ask simple, open questions: *How did you come to work here? Can you leave when you want?
   Who keeps your passport? Do you owe money to anyone?*
3. Do not ask for the full story or for details of sexual violence. The specialised
   interview will come later, with support present.
4. Explain what happens next and what the person's choices are.
5. Watch for signs of fear, exhaustion, intoxication or injury, and call medical help when
   needed.

### Do not

- Treat the person as an offender because of their residence status or the work they were made
  to do.
- Promise a residence permit or money.
- Detain a presumed victim with suspects, or return them to the place of exploitation.
- Share their name or photo with anyone outside the case.

### Minors

Any sign that the person may be **under 18** changes the procedure: treat them as a child until
age is established, inform the guardianship service and child-protection authority at once,
and never place them with adults in custody.
";

const MODULE_4: &str = r"
## Referral and the person's rights

A presumed victim has rights **from the moment of identification**, whether or not they agree
to make a statement.

### The reflection period

The Council of Europe Convention (article 13) requires a recovery and reflection period of
**at least 30 days**, during which the person cannot be removed. In Belgium it is **45 days**:
an order to leave the territory is issued with its effect suspended.

### The Belgian residence procedure in brief

1. Reflection period of 45 days, with assistance from a recognised specialised centre.
2. After a statement or complaint: a **certificate of immatriculation for 3 months**, renewable
   once; a work permit is possible.
3. If the prosecutor maintains the victim status and cooperation continues: a **certificate of
   registration for 6 months**, renewable until the end of the proceedings.
4. After a conviction, or a prosecution seeking one: **permanent residence**.

The conditions: break contact with the exploiters, accept the centre's assistance, and
cooperate with the authorities. Other countries have their own steps; know the national
referral mechanism where you work.

### Making the referral

- Call the **specialised centre** on duty (shelter, medical care, legal help, interpreters).
- Hand over only what the centre needs and what the person has agreed to share.
- Tell the person, in their language, what the centre is, that it is independent of the police,
  and how to reach it.
- Record the referral and the indicators that led to it.

### After the referral

Keep the person informed of steps that concern them. Protect their identity in reports and at
hearings; ask for protective measures when the risk of reprisals is real. The centre remains
their point of contact for support, whatever they decide about cooperation.
";

const MODULE_5: &str = r"
## Case exercise: the car wash

*A fictitious case for group work.*

During a routine check of a hand car wash on a ring road, a patrol finds six men working. Only
the manager speaks; he shows a folder with everyone's passports *to keep them safe*. Two men
have burns on their hands from cleaning products. A mattress and a gas cooker are in the back
room. One man asks, in broken English, whether he can phone his mother.

### Questions for the group

1. Which indicator groups do you recognise? List the facts behind each.
2. What would you do **in the first ten minutes**, and in what order?
3. How do you speak with the man who asked for the phone without exposing him?
4. Who do you call, and what do you tell them?
5. What do you write in your report, and what do you leave out?

### Points for the trainer

- Separate the workers from the manager as a routine step for all.
- The passports are evidence and belong to their owners: return them or secure them for the
  owners, never give them back to the manager.
- Medical care for the burns comes before any questioning.
- A referral needs no certainty — reasonable grounds are enough.
";
