"""The demo's stories: the six case studies presented at the Customs Work Organization Forum's meetings,
gathered through a call into the Forum's compendium, and inspirational stories by the champions of both
networks, several on the HCM conference's theme, well-being at work.

Everything goes through the stories services, as members would do it on the site: the Forum's admin
opens the call, each presenter writes and sends their case study, the admin accepts it (one comes back
once for its lessons learned), curates the compendium and publishes its first version; champions write
and publish their stories, and the networks' moderators feature two of them. What the demo already holds
is kept, so that seeding again changes nothing.

The authors are the demo's fictional presenters (demo.data); what the case studies are about is what
the networks' public announcements say (see shared seed context), and the details repeat what the same
people tell in the demo's forum. No figure here is invented.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from demo.data import CWOF, GENDER
from network.models import Network
from profiles.models import Language, User
from stories.models import CaseStudyCall, Compendium, Story, SubmissionReview
from stories.services import calls, compendiums, publishing, writing

CWOF_ADMIN = "marc.dubois"


@dataclass(frozen=True)
class DemoStory:
    author: str
    networks: tuple[str, ...]
    title: str
    summary: str
    body: str
    tags: tuple[str, ...]
    language: str = "en"
    kind: str = Story.Kind.STORY
    # The moderator who features it in the feed, if anyone does.
    featured_by: str = ""


@dataclass(frozen=True)
class DemoCaseStudy:
    story: DemoStory
    chapter: str
    # What the reviewer asked for when they returned the first version, which lacked its lessons learned;
    # empty when it was accepted at once.
    returned_with: str = ""


CALL_TITLE = "Case studies for the Compendium of best practices"
CALL_BRIEF = """\
The Forum is building a **Compendium of best practices** on work setup, workplace design and workforce
management, from the case studies members present at its meetings.

Tell us what your administration changed, seen from the client, staff, process and technology
perspectives. Follow the template: context, challenge, approach, results, lessons learned.
"""
# Long enough for every presenter to answer; the call is closed once the compendium is out.
CALL_OPEN_DAYS = 60

COMPENDIUM_TITLE = "CWOF compendium of case studies"
WORK_SETUP, WORKPLACE_DESIGN, WORKFORCE_MANAGEMENT = "Work setup", "Workplace design", "Workforce management"
CHAPTERS = (WORK_SETUP, WORKPLACE_DESIGN, WORKFORCE_MANAGEMENT)

LESSONS_HEADING = "## Lessons learned"

CASE_STUDIES = (
    DemoCaseStudy(
        DemoStory(
            "chinedu.okafor",
            (CWOF,),
            "Re-engineering operational processes and digital transformation (Nigeria)",
            "Hybrid work became possible once the paper was gone: the Nigeria Customs Service re-engineered "
            "its operational processes alongside its digital transformation.",
            """\
## Context

The Nigeria Customs Service ran its operations on paper files: declarations, approvals and internal
memos travelled from desk to desk.

## Challenge

Remote and hybrid work were debated while the work itself could only be done where the files were.

## Approach

- The operational processes were **re-engineered alongside the digital transformation**, not copied
  onto screens as they were.
- The processes that touch traders came first — declarations and payments; internal HR processes came
  second.

## Results

Once declarations, approvals and memos were digital, remote work followed almost by itself.

## Lessons learned

Start with the processes, not with remote-work rules: an administration whose files still travel on
trolleys cannot decide where its people work.
""",
            ("case study", "work setup", "digital transformation", "process re-engineering"),
            kind=Story.Kind.CASE_STUDY,
        ),
        WORK_SETUP,
    ),
    DemoCaseStudy(
        DemoStory(
            "claire.tremblay",
            (CWOF,),
            "Workplace design as part of the future of work (Canada)",
            "The Canada Border Services Agency treated workplace design as part of the future of work, "
            "not as a real-estate project.",
            """\
## Context

At the Canada Border Services Agency, the way teams work changed faster than the offices they work in.

## Challenge

Designing workplaces for the way customs works now — for office teams, for officers who work shifts,
and for the inspection areas that cannot change.

## Approach

1. **Design from the work**: activities were mapped before a single floor plan was drawn.
2. **Involve the people who will use the space**: officers tested mock-ups before anything was built.
3. **Measure after moving in**: occupancy, noise, and what staff say once they have settled.

## Results

Six work settings: focus rooms, team tables, quiet booths, meeting rooms, a training space, and the
inspection areas, which stayed as they were.

## Lessons learned

- Start from the activities, not from the square metres.
- Remember the people who have no desk of their own: shift workers need lockers and a quiet room.
""",
            ("case study", "workplace design", "future of work"),
            kind=Story.Kind.CASE_STUDY,
        ),
        WORKPLACE_DESIGN,
        returned_with="Thank you — a clear case. The template asks for **lessons learned**: what would you "
        "tell an administration starting the same work?",
    ),
    DemoCaseStudy(
        DemoStory(
            "aino.virtanen",
            (CWOF,),
            "Workplace design strategy in the new normal (Finland)",
            "After the pandemic Finnish Customs' offices were half empty on most days and full on others: "
            "its workplace design strategy for the new normal.",
            """\
## Context

After the pandemic, Finnish Customs' offices were half empty on most days and full on Tuesdays.

## Challenge

Offices sized for everyone every day, used by everyone on the same day.

## Approach

- **Activity-based offices** for back-office teams, with team "home zones".
- Fewer square metres, better rooms: the savings paid for meeting technology.
- Border posts and laboratories kept as dedicated spaces.
- Team days agreed in advance, and a booking system only for the quiet rooms.

## Results

Staff satisfaction with the workplace rose, and Finnish Customs gave back two floors.

## Lessons learned

Give each kind of work the space it needs: activity-based offices suit back-office teams, not border
posts or laboratories.
""",
            ("case study", "workplace design", "activity-based working", "hybrid work"),
            kind=Story.Kind.CASE_STUDY,
        ),
        WORKPLACE_DESIGN,
    ),
    DemoCaseStudy(
        DemoStory(
            "aroha.ngata",
            (CWOF,),
            "Creating a maritime workforce (New Zealand)",
            "How the New Zealand Customs Service recruited, trained and kept people for its work at sea "
            "and ashore.",
            """\
## Context

The New Zealand Customs Service needed a maritime workforce: officers at sea on long deployments, and
the people who support them ashore.

## Challenge

Recruiting, training and keeping people for work that takes them away from home for long periods.

## Approach

- Recruitment and training designed for work at sea and ashore.
- **Rosters planned with crews and their families.**
- **Guaranteed rest days after each deployment.**

## Results

Since rosters were planned with crews and families, and rest after each deployment guaranteed,
resignations fell sharply.

## Lessons learned

Keeping a maritime workforce is a matter of rest and predictability as much as of recruitment: plan
with the crews, and with the people waiting for them at home.
""",
            ("case study", "workforce management", "maritime workforce", "well-being"),
            kind=Story.Kind.CASE_STUDY,
        ),
        WORKFORCE_MANAGEMENT,
    ),
    DemoCaseStudy(
        DemoStory(
            "noura.alqahtani",
            (CWOF,),
            "An employee well-being programme (Saudi Arabia)",
            "The Zakat, Tax and Customs Authority's employee well-being programme, presented at the Forum's "
            "2nd meeting.",
            """\
## Context

The Zakat, Tax and Customs Authority set up an employee well-being programme, and presented it at the
Forum's 2nd meeting, on 23 May 2023.

## Challenge

Taking care of employees' well-being as a whole, in a way they would trust and actually use.

## Approach

The programme rests on four pillars:

- physical health;
- mental health;
- financial well-being;
- social connection.

Confidential counselling is run by an outside provider, so that staff trust it is confidential;
managers only ever see totals.

## Results

The most used service was confidential counselling — which surprised the Authority's managers.

## Lessons learned

Confidentiality is what makes people use a well-being service: it has to be visible in how the service
is run, not only promised.
""",
            ("case study", "workforce management", "well-being", "employee experience"),
            kind=Story.Kind.CASE_STUDY,
        ),
        WORKFORCE_MANAGEMENT,
    ),
    DemoCaseStudy(
        DemoStory(
            "priya.ramgoolam",
            (CWOF,),
            "Fostering trust in the employment relationship (Mauritius)",
            "What the Mauritius Revenue Authority changed to build trust between staff and management, "
            "presented at the Forum's 2nd meeting.",
            """\
## Context

The Mauritius Revenue Authority's case study, presented at the Forum's 2nd meeting on 23 May 2023,
began with a staff survey on whether management keeps its promises.

## Challenge

Building trust in the employment relationship, on which every other workforce policy depends.

## Approach

- **Quarterly open meetings** with the director general, with questions submitted anonymously.
- Every policy change explained **before** it applies, with a named contact.
- A **joint committee** with staff representatives that meets whether or not there is a dispute.

## Results

Every question is answered, the hard ones included, and the answers are published. After two meetings
the questions became suggestions.

## Lessons learned

Trust takes years to build and a week to lose. Well-being programmes work only where staff already
trust their employer.
""",
            ("case study", "workforce management", "trust", "employee relations"),
            kind=Story.Kind.CASE_STUDY,
        ),
        WORKFORCE_MANAGEMENT,
    ),
)

# Oldest first: the last one is the newest in the feed.
STORIES = (
    DemoStory(
        "hana.tesfaye",
        (GENDER,),
        "Competency frameworks that open careers to everyone",
        "A competency framework says what a job needs, not who usually does it: that is why it opens "
        "careers.",
        """\
Customs professionalism was the theme of the 2014 capacity-building roundtable, *Strong People — Strong
Organizations*: strategic HR management, recruitment, training, career paths and competency
frameworks.

In my work with administrations I see one of those tools do a great deal for gender equality.
A **competency framework** describes what a job requires — the knowledge, the skills, the behaviours —
instead of the profile of the people who have held it so far. Once recruitment, training and promotion
are measured against it, careers that were closed by habit open.

What made it concrete for directors was linking the *Declaration on Gender Equality and Diversity in
Customs* to the framework: each commitment of the Declaration became something a manager assesses.
""",
        ("gender equality", "competency frameworks", "training"),
    ),
    DemoStory(
        "lucia.fernandez",
        (GENDER,),
        "Measure before you act: the Gender Equality Organizational Assessment Tool",
        "Diversity and inclusion policies need data. How an organizational assessment shows where to act.",
        """\
Diversity and inclusion policies need data. The **Gender Equality Organizational Assessment Tool**
helps an administration look at itself before it decides what to change: its policies, its people
processes, its culture.

What I suggest to administrations starting an assessment:

1. **Secure senior management's support first** — an assessment raises questions only they can answer.
2. **Check your HR reports** before you start: the data you need, such as sex-disaggregated data on
   promotions, is often not collected yet.
3. **Involve the private sector and staff** in reading the results: they see what the figures miss.

Then act on what you found, and assess again.
""",
        ("gender equality", "diversity", "assessment"),
        kind=Story.Kind.BEST_PRACTICE,
    ),
    DemoStory(
        "carmen.reyes",
        (GENDER,),
        "Poner en práctica la Declaración sobre igualdad de género y diversidad en las aduanas",
        "Cómo una aduana pasa de firmar la Declaración a aplicarla: evaluación, apoyo de la dirección y "
        "colaboración con el sector privado.",
        """\
Coordino la política de igualdad de género de nuestra aduana. Firmar la **Declaración sobre igualdad de
género y diversidad en las aduanas** fue el primer paso; lo difícil es aplicarla.

Lo que nos ha servido:

- **Una evaluación organizacional primero**, con la *Herramienta de evaluación organizacional de la
  igualdad de género*: nos mostró dónde actuar.
- **El apoyo de la alta dirección**, sin el cual ningún cambio de política dura.
- **La colaboración con el sector privado**, que comparte los mismos desafíos en el comercio.

La red existe para compartir estas experiencias: cuéntenos las suyas.
""",
        ("gender equality", "policy"),
        language="es",
    ),
    DemoStory(
        "aroha.ngata",
        (CWOF, GENDER),
        "Rest is part of the job: well-being for officers at sea",
        "Long deployments, fatigue and family life: why guaranteed rest belongs in every roster.",
        """\
Our maritime officers work long deployments. Well-being at sea is not a programme added on top of the
work: it is decided when the roster is drawn.

Two things changed everything for our crews:

- **rosters planned with crews and their families**, so that people know when they will be home;
- **guaranteed rest days after each deployment**, whatever the operational pressure.

Fatigue in shift work is a question for every port and border post, not only for crews at sea. The
Forum's *Well-being at work* category is a good place to compare notes.
""",
        ("well-being", "shift work", "maritime workforce"),
        kind=Story.Kind.BEST_PRACTICE,
    ),
    DemoStory(
        "priya.ramgoolam",
        (CWOF,),
        "Well-being starts with trust",
        "Well-being programmes work only where staff already trust their employer.",
        """\
*Taking care of our Human Capital* was the promise in the title of the HCM global conference. In
Mauritius we learnt that a well-being programme keeps that promise only where staff already trust
their employer: counselling, health checks and flexible hours are used by people who believe the
employer means well.

That is why our case study began with trust: open meetings with the director general, policy changes
explained before they apply, and a joint committee with staff representatives that meets even when
there is no dispute. Well-being came after.
""",
        ("well-being", "trust", "hcm conference"),
    ),
    DemoStory(
        "aissatou.diallo",
        (GENDER,),
        "Inspectrices des douanes : ouvrir la voie en Afrique de l'Ouest",
        "Le cercle de mentorat des inspectrices des douanes à Dakar : partager l'expérience des femmes qui "
        "ont ouvert la voie.",
        """\
Je partage l'expérience des femmes inspectrices des douanes en Afrique de l'Ouest. À Dakar, je
coordonne un **cercle de mentorat** : des inspectrices expérimentées accompagnent celles qui arrivent.

Ce que le cercle apporte :

- des modèles : voir une inspectrice principale, c'est savoir que c'est possible ;
- des conseils concrets sur les carrières, les affectations et les concours ;
- une voix commune pour défendre des politiques inclusives auprès de la direction.

Le réseau a été créé pour faire connaître les expériences inspirantes et promouvoir les
**championnes et champions** de l'égalité. Racontez-nous les vôtres.
""",
        ("gender equality", "mentoring", "leadership"),
        language="fr",
        featured_by="layla.haddad",
    ),
    DemoStory(
        "noura.alqahtani",
        (CWOF, GENDER),
        "Well-being at Work — taking care of our human capital",
        "What the HCM global conference of 10 and 11 October 2022 asked of every customs administration: to "
        "take care of its people's well-being.",
        """\
The HCM global conference, held in hybrid form on 10 and 11 October 2022, had one theme: **Well-being at
Work — Taking care of our Human Capital**. Over 1,200 participants took part, 150 of them in person,
from 175 countries; 21 speakers (9 women and 12 men) shared their experience.

It followed the online HRM conference of January 2021, *Managing HR through crisis and beyond*, where
staff resilience and well-being were already one of the topics. Well-being is now a question of its
own: not a benefit, but part of how an administration is run.

What I took home for our own employee well-being programme:

- physical health, mental health, financial well-being and social connection belong together;
- a confidential service is used only if staff trust that it is confidential;
- well-being is everyone's work — managers, HR, and colleagues.

The presentations and meeting documents are published for download: tell us in the Forum what your
administration does.
""",
        ("well-being", "hcm conference", "employee experience"),
        featured_by="youssef.benali",
    ),
)


def seed_stories() -> None:
    """The case studies, the compendium and the stories, each unless it exists already."""
    people = {user.username: user for user in User.objects.filter(username__in=_handles())}
    networks = {network.slug: network for network in Network.objects.filter(slug__in=(CWOF, GENDER))}
    languages = {language.code: language for language in Language.objects.all()}
    case_studies = _case_studies(people, networks, languages)
    _compendium(case_studies, people[CWOF_ADMIN], networks[CWOF])
    for spec in STORIES:
        if not _existing(spec, people):
            _publish(spec, people, networks, languages)


def _handles() -> set[str]:
    specs = (*(case.story for case in CASE_STUDIES), *STORIES)
    return {
        CWOF_ADMIN,
        *(spec.author for spec in specs),
        *(spec.featured_by for spec in specs if spec.featured_by),
    }


def _text(
    spec: DemoStory, networks: dict[str, Network], languages: dict[str, Language], body: str | None = None
) -> writing.StoryText:
    return writing.StoryText(
        title=spec.title,
        networks=[networks[slug] for slug in spec.networks],
        summary=spec.summary,
        body=spec.body if body is None else body,
        kind=spec.kind,
        tags=spec.tags,
        language=languages[spec.language],
    )


def _existing(spec: DemoStory, people: dict[str, User]) -> Story | None:
    return Story.objects.filter(author=people[spec.author], title=spec.title).first()


def _publish(
    spec: DemoStory, people: dict[str, User], networks: dict[str, Network], languages: dict[str, Language]
) -> None:
    author = people[spec.author]
    story = writing.create_draft(author=author, text=_text(spec, networks, languages))
    publishing.publish_story(actor=author, story=story)
    if spec.featured_by:
        publishing.feature_story(actor=people[spec.featured_by], story=story)


def _case_studies(
    people: dict[str, User], networks: dict[str, Network], languages: dict[str, Language]
) -> dict[str, Story]:
    """The Forum's call and the six case studies sent to it and accepted, by title."""
    reviewer = people[CWOF_ADMIN]
    call = CaseStudyCall.objects.filter(network=networks[CWOF], title=CALL_TITLE).first()
    if call is None:
        call = calls.open_call(
            actor=reviewer,
            network=networks[CWOF],
            title=CALL_TITLE,
            brief=CALL_BRIEF,
            deadline=timezone.now() + timedelta(days=CALL_OPEN_DAYS),
        )
    accepted: dict[str, Story] = {}
    for case in CASE_STUDIES:
        spec = case.story
        story = _existing(spec, people)
        if story is None:
            story = _send_and_accept(case, call, people, networks, languages)
        accepted[spec.title] = story
    if call.state == CaseStudyCall.State.OPEN:
        calls.close_call(actor=reviewer, call=call)
    return accepted


def _send_and_accept(
    case: DemoCaseStudy,
    call: CaseStudyCall,
    people: dict[str, User],
    networks: dict[str, Network],
    languages: dict[str, Language],
) -> Story:
    spec, reviewer, author = case.story, people[CWOF_ADMIN], people[case.story.author]
    first_body = spec.body.split(LESSONS_HEADING)[0] if case.returned_with else spec.body
    story = writing.create_draft(author=author, text=_text(spec, networks, languages, body=first_body))
    submission = calls.submit_case_study(actor=author, call=call, story=story)
    if case.returned_with:
        calls.review_submission(
            actor=reviewer,
            submission=submission,
            decision=SubmissionReview.Decision.RETURN,
            comments=case.returned_with,
        )
        story.refresh_from_db()
        writing.update_draft(actor=author, story=story, text=_text(spec, networks, languages))
        submission = calls.submit_case_study(actor=author, call=call, story=story)
    calls.review_submission(actor=reviewer, submission=submission, decision=SubmissionReview.Decision.ACCEPT)
    story.refresh_from_db()
    return story


def _compendium(case_studies: dict[str, Story], curator: User, network: Network) -> None:
    """The compendium of the accepted case studies in its three chapters, published as version 1."""
    if Compendium.objects.filter(network=network, title=COMPENDIUM_TITLE).exists():
        return
    compendium = compendiums.create_compendium(
        actor=curator, network=network, title=COMPENDIUM_TITLE, chapters=CHAPTERS
    )
    chapters = {chapter.title: chapter for chapter in compendium.chapters.all()}
    for case in CASE_STUDIES:
        compendiums.add_to_compendium(
            actor=curator, chapter=chapters[case.chapter], story=case_studies[case.story.title]
        )
    compendiums.publish_compendium_version(actor=curator, compendium=compendium)
