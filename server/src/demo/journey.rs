//! The demo participants' journey so far: program items done, active days, exercise answers,
//! self-rehabilitation tasks with logs, a guide's comment and feedback, GAS goals and start
//! measures. Written through the same services the API uses, at the past moments they would have
//! happened (relative to `now` and the course's schedule), once: a course with any progress is
//! left as it is. The notices it leaves are never mailed.
//!
//! The demo participant (Aino) is also the one the browser tests sign in as. They mark the first
//! page, play the video, answer the exercise and take the task suggestion of this week's module
//! (5), set two goals and record her start measures themselves, so none of that is seeded for her:
//! in module 5 she has only opened the first page and marked the task suggestion read, her goals
//! and measures are left to the tests (other participants have theirs), her comment notice is
//! already read, and no task of hers has a title the tests use.

use std::sync::Arc;

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use etapolku_content::model::{ItemKind, Program, QuestionKind};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::answers::service::{self as answers, Answer, Answers};
use crate::clock::ManualClock;
use crate::courses::schedule::helsinki_today;
use crate::courses::service::schedule_of;
use crate::entity::{course, enrolment, item_progress, notification, selfrehab_log, user};
use crate::goals::gas::{GasLevel, Weight};
use crate::goals::model::{GoalContent, LevelTexts};
use crate::goals::service::{self as goals, Owner as GoalOwner, Rating};
use crate::measures::model::{BdiScores, Instrument, MeasureInput, Occasion, Scores, WhoqolScores};
use crate::progress::outline::{Outline, OutlineItem, OutlineModule, outline_of};
use crate::progress::rules::Completion;
use crate::progress::service as progress;
use crate::selfrehab::model::{LogInput, NewTask, Party};
use crate::selfrehab::service::{self as selfrehab, Actor, Owner};
use crate::state::AppState;

/// How one participant has used the program so far.
struct Pace {
    email: &'static str,
    /// Per module (1, 2, …): the positions of the items done in its remote week.
    items: &'static [&'static [usize]],
    /// Active days a week (the first ones of Mon, Wed, Thu, Sat, Tue, Fri, Sun).
    days_per_week: usize,
    /// No use since this many days ago (0: still active).
    idle_days: u64,
    /// Which of the two sets of essay answers in [`ESSAYS`] they write (0 or 1).
    voice: usize,
}

const ALL: &[usize] = &[0, 1, 2, 3, 4, 5];

/// In the order of the Finnish course's participants; the first is the demo participant. Remote
/// week 5 is this week, so modules 1–5 are open.
const PACES: &[Pace] = &[
    Pace {
        email: super::PARTICIPANT,
        items: &[&[0, 1, 2, 3], ALL, &[0, 1, 2, 3], ALL, &[]],
        days_per_week: 4,
        idle_days: 0,
        voice: 0,
    },
    // Far ahead: everything open is done.
    Pace {
        email: "eero.makinen@demo.example",
        items: &[ALL, ALL, ALL, ALL, ALL],
        days_per_week: 5,
        idle_days: 0,
        voice: 1,
    },
    // Slightly behind.
    Pace {
        email: "liisa.korhonen@demo.example",
        items: &[ALL, &[0, 1, 2, 3], &[0, 1, 2], &[0], &[]],
        days_per_week: 3,
        idle_days: 1,
        voice: 1,
    },
    // Not seen for 10 days.
    Pace {
        email: "pekka.nieminen@demo.example",
        items: &[&[0, 1, 2], &[0, 2], &[0], &[], &[]],
        days_per_week: 2,
        idle_days: 10,
        voice: 0,
    },
    // Has not started.
    Pace {
        email: "marjatta.hamalainen@demo.example",
        items: &[],
        days_per_week: 0,
        idle_days: 0,
        voice: 0,
    },
    Pace {
        email: "raimo.lehtonen@demo.example",
        items: &[&[0, 1, 2], &[0, 1, 2], &[0, 1, 2], &[0, 1], &[0]],
        days_per_week: 3,
        idle_days: 2,
        voice: 1,
    },
    Pace {
        email: "sirkka.heikkinen@demo.example",
        items: &[ALL, ALL, &[0, 1, 2, 3], &[0, 1, 2], &[0, 1]],
        days_per_week: 4,
        idle_days: 0,
        voice: 0,
    },
    Pace {
        email: "kaarina.ojala@demo.example",
        items: &[ALL, &[0, 1, 3], &[0, 2], &[], &[]],
        days_per_week: 2,
        idle_days: 4,
        voice: 1,
    },
];

/// Essay answers per module, two voices.
const ESSAYS: &[[&[&str]; 2]] = &[
    [
        &[
            "Ulkoilu koiran kanssa, puhelu siskolle ja aamukahvi rauhassa.",
            "Yöheräilyt. Mieheni herää öisin, enkä saa sen jälkeen unta.",
        ],
        &[
            "Mökkeily, lapsenlapset ja kuoro.",
            "Jatkuva valppaana oleminen. En pääse oikein koskaan lepäämään.",
        ],
    ],
    [
        &[
            "Yöheräilyt häiritsevät eniten. Voisin kokeilla iltarentoutusta ja mennä aiemmin nukkumaan.",
        ],
        &[
            "Murehdin illalla seuraavaa päivää. Kokeilen kirjoittaa asiat paperille ennen nukkumaanmenoa.",
        ],
    ],
    [
        &[
            "Kävely ja vesijumppa. Aikaa on vähän, koska en voi jättää miestäni pitkäksi aikaa yksin.",
        ],
        &["Pyöräily kesällä. Talvella liukkaus pelottaa, joten jään helposti sisälle."],
    ],
    [
        &[
            "Lounas jää väliin, kun on lääkärikäynti tai kiire. Valmiit annokset pakastimessa voisivat auttaa.",
        ],
        &["Syön usein seisaaltaan. Voisin istua alas edes yhden aterian ajaksi."],
    ],
    [
        &["Ystävän kanssa puhuminen ja kävely ulkona."],
        &["Kun olen saanut itkeä rauhassa ja sen jälkeen nukkua."],
    ],
];

/// Lengths of the demo recordings (content/programs/demo/media), as the player reports them.
const AUDIO_SECONDS: &[f64] = &[63.0, 85.0, 80.0];
const VIDEO_SECONDS: f64 = 70.0;

/// Loads the journey unless the Finnish demo course already has progress of anyone.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    let Some(provider) = crate::providers::service::find_by_name(db, super::PROVIDER).await? else {
        return Ok(());
    };
    let Some(c) = course::Entity::find()
        .filter(course::Column::ProviderId.eq(provider.id))
        .filter(course::Column::Language.eq("fi"))
        .filter(course::Column::ProgramVersionId.is_not_null())
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let seeded = item_progress::Entity::find()
        .filter(item_progress::Column::CourseId.eq(c.id))
        .count(db)
        .await?;
    if seeded > 0 {
        return Ok(());
    }
    let now = state.now();
    let outline = outline_of(db, &c).await?;
    let program = crate::content::delivery::course_program(db, &c).await?;
    let clock = ManualClock::at(now);
    let demo = Demo {
        // The services stamp what they write with the state's clock: this one is set to the
        // moment each thing happened.
        state: AppState {
            clock: Arc::new(clock.clone()),
            ..state.clone()
        },
        clock,
        now,
        course: c,
        outline,
        program: program.document.clone(),
    };
    for (i, pace) in PACES.iter().enumerate() {
        let Some(who) = demo.person(pace.email).await? else {
            continue;
        };
        demo.progress(&who, pace).await?;
        if i == 0 {
            demo.aino(&who).await?;
        } else {
            demo.others(&who, i).await?;
        }
    }
    tracing::info!("demo journey loaded");
    Ok(())
}

struct Demo {
    state: AppState,
    clock: ManualClock,
    now: DateTime<Utc>,
    course: course::Model,
    outline: Arc<Outline>,
    program: Arc<Program>,
}

/// A participant and their personal guide.
struct Person {
    user: user::Model,
    guide: user::Model,
}

/// A Finnish evening (18:00–19:00 local) of `day`, in UTC, plus `minutes`.
fn evening(day: NaiveDate, minutes: i64) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc() + Duration::hours(16) + Duration::minutes(minutes)
}

impl Demo {
    async fn person(&self, email: &str) -> anyhow::Result<Option<Person>> {
        let db = &self.state.db;
        let Some(u) = user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let Some(guide_id) = enrolment::Entity::find()
            .filter(enrolment::Column::CourseId.eq(self.course.id))
            .filter(enrolment::Column::ParticipantId.eq(u.id))
            .one(db)
            .await?
            .and_then(|e| e.personal_guide_id)
        else {
            return Ok(None);
        };
        let guide = user::Entity::find_by_id(guide_id)
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the demo guide is missing"))?;
        Ok(Some(Person { user: u, guide }))
    }

    fn today(&self) -> NaiveDate {
        helsinki_today(self.now)
    }

    /// A moment not after now: the evening of `day`, or a little before now on today.
    fn at(&self, day: NaiveDate, minutes: i64) -> Option<DateTime<Utc>> {
        let at = evening(day, minutes);
        if at <= self.now {
            return Some(at);
        }
        let earlier = self.now - Duration::minutes(40) + Duration::minutes(minutes.min(34));
        (helsinki_today(earlier) == day).then_some(earlier)
    }

    /// The Monday of remote week `week` (1-based).
    fn week_start(&self, week: usize) -> anyhow::Result<NaiveDate> {
        Ok(schedule_of(&self.course)?.remote_start + Days::new(7 * (week as u64 - 1)))
    }

    /// Active days in remote weeks 1…now, items done on them, visible time on each.
    async fn progress(&self, who: &Person, pace: &Pace) -> anyhow::Result<()> {
        let db = &self.state.db;
        let (pid, cid) = (who.user.id, self.course.id);
        let last_day = self.today() - Days::new(pace.idle_days);
        for (mi, module) in self.outline.modules.iter().enumerate() {
            let start = self.week_start(mi + 1)?;
            if start > self.today() {
                break;
            }
            let mut days: Vec<NaiveDate> = [0u64, 2, 3, 5, 1, 4, 6]
                .iter()
                .take(pace.days_per_week)
                .map(|d| start + Days::new(*d))
                .filter(|d| *d <= last_day)
                .collect();
            // Whoever has been away was last here exactly `idle_days` ago.
            let in_week = last_day >= start && last_day < start + Days::new(7);
            if pace.idle_days > 0 && pace.days_per_week > 0 && in_week && !days.contains(&last_day)
            {
                days.push(last_day);
            }
            if days.is_empty() {
                continue;
            }
            let wanted: Vec<&OutlineItem> = pace
                .items
                .get(mi)
                .copied()
                .unwrap_or(&[])
                .iter()
                .filter_map(|i| module.items.get(*i))
                .collect();
            for (di, day) in days.iter().enumerate() {
                // Each active day takes its share of the week's items, in order.
                let share: Vec<&OutlineItem> = wanted
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| k % days.len() == di)
                    .map(|(_, it)| *it)
                    .collect();
                let mut minute = 0;
                if share.is_empty() {
                    // A look at the week's first text again.
                    if let (Some(first), Some(at)) = (module.items.first(), self.at(*day, 0)) {
                        progress::open(db, pid, cid, &first.id, at).await?;
                        progress::heartbeat(db, pid, cid, &first.id, 60, at).await?;
                    }
                    continue;
                }
                for item in share {
                    let Some(at) = self.at(*day, minute) else {
                        break;
                    };
                    self.do_item(who, module, item, at, pace.voice).await?;
                    minute += 7;
                }
            }
        }
        Ok(())
    }

    /// Opens an item, spends a few minutes on it and completes it the way its kind completes.
    async fn do_item(
        &self,
        who: &Person,
        module: &OutlineModule,
        item: &OutlineItem,
        at: DateTime<Utc>,
        voice: usize,
    ) -> anyhow::Result<()> {
        let db = &self.state.db;
        let (pid, cid) = (who.user.id, self.course.id);
        progress::open(db, pid, cid, &item.id, at).await?;
        for m in 1..=5 {
            progress::heartbeat(db, pid, cid, &item.id, 60, at + Duration::minutes(m)).await?;
        }
        let done_at = at + Duration::minutes(5);
        match item.completion {
            Completion::Mark => {
                progress::mark(db, pid, cid, item, done_at).await?;
            }
            Completion::Media => {
                let length = if item.kind == "video" {
                    VIDEO_SECONDS
                } else {
                    AUDIO_SECONDS
                        .get(module.number - 1)
                        .copied()
                        .unwrap_or(60.0)
                };
                progress::media(db, pid, cid, item, length, length, done_at).await?;
            }
            Completion::Answer => {
                let answers = self.answers(module.number, &item.id, voice);
                answers::submit(db, pid, cid, (module, item), &answers, done_at).await?;
            }
        }
        Ok(())
    }

    /// Plausible answers as the web form sends them: choices by their words, essays from ESSAYS.
    fn answers(&self, module: usize, item_id: &str, voice: usize) -> Answers {
        let mut out = Answers::new();
        let Some(ItemKind::Exercise { questions, .. }) = self
            .program
            .modules
            .iter()
            .flat_map(|m| m.items.iter())
            .find(|i| i.id == item_id)
            .map(|i| &i.kind)
        else {
            return out;
        };
        let mut essays = ESSAYS
            .get(module - 1)
            .map(|v| v[voice % 2])
            .unwrap_or(&[])
            .iter();
        for q in questions {
            let answer = match &q.kind {
                QuestionKind::Essay | QuestionKind::ShortAnswer { .. } => {
                    essays.next().map(|t| Answer::Text((*t).to_owned()))
                }
                QuestionKind::TrueFalse { correct } => Some(Answer::Text(
                    if *correct { "Totta" } else { "Ei totta" }.to_owned(),
                )),
                QuestionKind::MultiChoice { single, choices } => {
                    let words = |i: usize| {
                        choices
                            .get(i)
                            .and_then(|c| c.text.get("fi"))
                            .map(plain_text)
                    };
                    if *single {
                        words(2 + voice % 2).or_else(|| words(0)).map(Answer::Text)
                    } else {
                        Some(Answer::Choices(
                            [voice % 2, 2].iter().filter_map(|i| words(*i)).collect(),
                        ))
                    }
                }
                QuestionKind::Numerical { .. } | QuestionKind::Description => None,
            };
            if let Some(a) = answer {
                out.insert(q.id.clone(), a);
            }
        }
        out
    }

    fn owner(&self, who: &Person) -> Owner {
        // The demo's past is not news: the notices it leaves are recorded but never mailed.
        let mut participant = who.user.clone();
        participant.mail_notifications = false;
        Owner {
            participant,
            course: self.course.clone(),
        }
    }

    /// A task agreed between the participant and their guide, logged on the days it was planned
    /// up to `last_day`: done except on the days in `missed`, with some notes and ratings.
    async fn task(
        &self,
        who: &Person,
        by_guide: bool,
        input: NewTask,
        last_day: NaiveDate,
        missed: &[u64],
        notes: &[(u64, &str)],
    ) -> anyhow::Result<crate::entity::selfrehab_task::Model> {
        let owner = self.owner(who);
        let me = Actor {
            user_id: who.user.id,
            party: Party::Participant,
        };
        let guide = Actor {
            user_id: who.guide.id,
            party: Party::Guide,
        };
        let start = input.start_date.unwrap_or(self.today());
        self.clock.set(evening(start, -240));
        let (first, second) = if by_guide {
            (&guide, &me)
        } else {
            (&me, &guide)
        };
        let task = selfrehab::create(&self.state, &owner, first, input).await?;
        self.clock.set(evening(start, 60));
        let version = Some(task.version);
        let task = selfrehab::accept(&self.state, task, second, version).await?;
        let plan = selfrehab::plan_of(&task);
        let mut day = plan.start;
        let mut n = 0u64;
        while day <= last_day.min(plan.end) && day < self.today() {
            if plan_wants(&plan, day) {
                self.clock.set(evening(day, 120));
                let note = notes
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, t)| (*t).to_owned());
                let done = !missed.contains(&n);
                let rating = done.then_some(3 + (n % 3) as i64);
                let log = LogInput { done, note, rating };
                selfrehab::put_log(&self.state, &task, day, log).await?;
                n += 1;
            }
            day = day + Days::new(1);
        }
        Ok(task)
    }

    /// Aino: two agreed tasks with logs, feedback on one log, a comment on one answer.
    async fn aino(&self, who: &Person) -> anyhow::Result<()> {
        let db = &self.state.db;
        let suggestion = self.suggestion(2);
        let week2 = self.week_start(2)?;
        let evening_task = self
            .task(
                who,
                false,
                NewTask {
                    title: None,
                    details: Some(
                        "Kuuntelen iltarentoutuksen sängyssä ennen nukkumaanmenoa.".into(),
                    ),
                    days: None,
                    times_per_week: None,
                    minutes: None,
                    start_date: Some(week2 + Days::new(1)),
                    weeks: None,
                    source_item_id: suggestion,
                    goal_id: None,
                },
                self.today(),
                &[3, 9, 10, 17],
                &[
                    (0, "Nukahdin jo ennen kuin rentoutus loppui."),
                    (3, "Mieheni heräsi, eikä rauhoittumiselle jäänyt aikaa."),
                    (6, "Hartiat rentoutuivat hyvin."),
                    (10, "Olin niin väsynyt, että unohdin."),
                    (14, "Helpompi nukahtaa kuin viime viikolla."),
                    (
                        19,
                        "Päivä oli raskas, mutta rentoutus auttoi rauhoittumaan.",
                    ),
                ],
            )
            .await?;
        let week3 = self.week_start(3)?;
        self.task(
            who,
            true,
            NewTask {
                title: Some("Kävely koiran kanssa".into()),
                details: Some("Reipas kävely lähimetsässä, vaikka sää olisi huono.".into()),
                days: None,
                times_per_week: Some(3),
                minutes: Some(30),
                start_date: Some(week3),
                weeks: Some(6),
                source_item_id: None,
                goal_id: None,
            },
            self.today(),
            &[4],
            &[
                (1, "Sade yllätti, mutta koira oli iloinen."),
                (4, "Polvi kipeytyi, lepäsin."),
            ],
        )
        .await?;

        // The guide answers the latest note the next morning (or just now, if that is later).
        let noted = selfrehab_log::Entity::find()
            .filter(selfrehab_log::Column::TaskId.eq(evening_task.id))
            .filter(selfrehab_log::Column::Note.is_not_null())
            .order_by_desc(selfrehab_log::Column::Date)
            .one(db)
            .await?;
        if let Some(log) = noted {
            let at = evening(log.date + Days::new(1), -420).min(self.now - Duration::minutes(5));
            self.clock.set(at);
            selfrehab::add_feedback(
                &self.state,
                &self.owner(who),
                &evening_task,
                log.uuid,
                who.guide.id,
                "Hienoa, että rentoutus auttaa! Voit kokeilla sitä myös, jos heräät yöllä.",
            )
            .await?;
        }

        // The guide comments on the answers to module 2's exercise; she read it the next day.
        let answers = answers::for_staff(db, self.course.id, Some(who.user.id), None).await?;
        if let Some(a) = answers.iter().find(|a| a.module_number == 2) {
            let row = answers::submitted_by_uuid(db, self.course.id, a.id).await?;
            let at = a.submitted_at + Duration::days(1);
            answers::add_comment(
                db,
                &row,
                &who.guide,
                "Kiitos vastauksesta. Yöheräilyistä voidaan puhua lisää seuraavassa puhelussa."
                    .into(),
                at,
            )
            .await?;
            self.clock.set(at);
            crate::notifications::service::notify(
                &self.state,
                &self.owner(who).participant,
                crate::notifications::service::Notice {
                    kind: crate::notifications::service::Kind::AnswerComment,
                    params: serde_json::json!({"module": row.module_number, "item_id": row.item_id}),
                    link: format!("/ohjelma/{}#item-{}", row.module_number, row.item_id),
                },
            )
            .await?;
            read_notices(db, who.user.id, "answer_comment", at + Duration::days(1)).await?;
        }
        read_notices(db, who.user.id, "task_proposed", evening(week3, 60)).await?;

        // This week she has opened the first page (see `progress`) and read the task suggestion.
        let week5 = self.week_start(5)?;
        if let Some(module) = self.outline.modules.get(4)
            && let (Some(task), Some(at)) = (
                module.items.iter().find(|i| i.kind == "task"),
                self.at(week5, 10),
            )
        {
            self.do_item(who, module, task, at, 0).await?;
        }
        Ok(())
    }

    /// Other Finnish participants: a task for some, goals and start measures.
    async fn others(&self, who: &Person, i: usize) -> anyhow::Result<()> {
        let pace = &PACES[i];
        let last_day = self.today() - Days::new(pace.idle_days);
        let week = self.week_start(2 + i % 2)?;
        if pace.days_per_week >= 3 || pace.idle_days >= 10 {
            self.task(
                who,
                i.is_multiple_of(2),
                NewTask {
                    title: None,
                    details: None,
                    days: None,
                    times_per_week: None,
                    minutes: None,
                    start_date: Some(week),
                    weeks: None,
                    source_item_id: self.suggestion(2 + i % 2),
                    goal_id: None,
                },
                last_day,
                &[2, 5 + i as u64],
                &[(1, "Meni hyvin."), (4, "Vähän vaikeaa tänään.")],
            )
            .await?;
        }
        self.start_measures(who, i).await?;
        if i <= 2 {
            self.goals(who, i).await?;
        }
        Ok(())
    }

    /// The id of the first task suggestion in module `number`.
    fn suggestion(&self, number: usize) -> Option<String> {
        self.outline
            .modules
            .get(number - 1)?
            .items
            .iter()
            .find(|i| i.kind == "task")
            .map(|i| i.id.clone())
    }

    /// WHOQOL-BREF and BDI-21 at the start, recorded by the guide in the first on-site week.
    async fn start_measures(&self, who: &Person, i: usize) -> anyhow::Result<()> {
        let day = schedule_of(&self.course)?.onsite1_start + Days::new(1 + (i % 3) as u64);
        let owner = GoalOwner {
            course_id: self.course.id,
            participant_id: who.user.id,
        };
        let k = i32::try_from(i).unwrap_or(0);
        for scores in [
            Scores::Whoqol(WhoqolScores {
                physical: 50 + 3 * k,
                psychological: 44 + 4 * (k % 4),
                social: 56 + 2 * k,
                environment: 63 + (k % 3) * 6,
            }),
            Scores::Bdi(BdiScores {
                total: 8 + (k * 5) % 14,
            }),
        ] {
            let instrument = match scores {
                Scores::Whoqol(_) => Instrument::WhoqolBref,
                Scores::Bdi(_) => Instrument::Bdi21,
            };
            let input = MeasureInput {
                instrument,
                occasion: Occasion::Start,
                measured_on: day,
                scores,
            };
            crate::measures::service::record(
                &self.state.db,
                owner,
                &who.guide,
                input,
                evening(day, -300),
            )
            .await?;
        }
        Ok(())
    }

    /// Goals set in the first on-site week, with the baseline the guide rated with them.
    async fn goals(&self, who: &Person, i: usize) -> anyhow::Result<()> {
        let owner = GoalOwner {
            course_id: self.course.id,
            participant_id: who.user.id,
        };
        let day = schedule_of(&self.course)?.onsite1_start + Days::new(3);
        let all = [
            (
                "Saan nukuttua yöllä yhtäjaksoisesti",
                [
                    "Herään joka yö useita kertoja enkä saa enää unta.",
                    "Herään useimpina öinä ja valvon pitkään.",
                    "Nukun ainakin kolmena yönä viikossa heräämättä pitkiksi ajoiksi.",
                    "Nukun useimmat yöt hyvin.",
                    "Nukun lähes joka yö hyvin ja herään levänneenä.",
                ],
            ),
            (
                "Minulla on omaa aikaa joka viikko",
                [
                    "Minulla ei ole lainkaan omaa aikaa.",
                    "Saan omaa aikaa harvemmin kuin kerran viikossa.",
                    "Minulla on kerran viikossa kaksi tuntia omaa aikaa.",
                    "Minulla on kahdesti viikossa kaksi tuntia omaa aikaa.",
                    "Minulla on omaa aikaa useana päivänä viikossa.",
                ],
            ),
        ];
        for (k, (title, levels)) in all.iter().take(3 - i).enumerate() {
            let content = GoalContent {
                title: (*title).to_owned(),
                levels: LevelTexts {
                    minus2: levels[0].to_owned(),
                    minus1: levels[1].to_owned(),
                    zero: levels[2].to_owned(),
                    plus1: levels[3].to_owned(),
                    plus2: levels[4].to_owned(),
                },
                weight: Weight::DEFAULT,
            };
            let at = evening(day, -360 + 20 * k as i64);
            let g = goals::create(&self.state.db, owner, who.user.id, content, at).await?;
            let level =
                GasLevel::parse(if k == 0 { -1 } else { -2 }).map_err(anyhow::Error::msg)?;
            let at = at + Duration::minutes(10);
            goals::rate(
                &self.state.db,
                owner,
                g.id,
                who.guide.id,
                Rating::Baseline,
                level,
                at,
            )
            .await?;
        }
        Ok(())
    }
}

/// Is `day` one the plan asks for? Fixed days as chosen; `n times a week` every other day from
/// Monday.
fn plan_wants(plan: &crate::selfrehab::plan::Plan, day: NaiveDate) -> bool {
    use chrono::Datelike;
    match plan.rhythm {
        crate::selfrehab::plan::Rhythm::Days(d) => d.contains(day.weekday()),
        // Monday, Wednesday, Friday … for three times a week.
        crate::selfrehab::plan::Rhythm::TimesPerWeek(n) => {
            let k = day.weekday().num_days_from_monday();
            k.is_multiple_of(2) && k / 2 < u32::from(n)
        }
    }
}

/// The participant opened the notices of `kind` at `at`.
async fn read_notices(
    db: &sea_orm::DatabaseConnection,
    user_id: i32,
    kind: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(at))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::Kind.eq(kind))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Choice words without markup, as the web form sends them.
fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}
