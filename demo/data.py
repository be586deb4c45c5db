"""The people and networks of the demo, drawn from the customs community's public announcements.

The people are fictional; their organizations, countries, meetings and case studies are the ones the
networks really speak of (see shared seed context). Every demo account uses DEMO_PASSWORD.
"""

from dataclasses import dataclass, field

DEMO_PASSWORD = "convene-demo-2026"  # noqa: S105 (published in README.md for the demo)
SUPERUSER_EMAIL = "admin@convene.example"

GENDER = "gender-equality"
CWOF = "cwof"


@dataclass(frozen=True)
class DemoNetwork:
    slug: str
    name: str
    tagline: str
    mission: str
    join_policy: str = "approval"
    visibility: str = "public"


@dataclass(frozen=True)
class DemoMember:
    handle: str
    name: str
    country: str
    sector: str
    organization: str
    headline: str
    languages: tuple[str, ...]
    expertise: tuple[str, ...]
    # network slug -> role; "pending" asks to join and awaits an admin.
    roles: dict[str, str] = field(default_factory=dict)
    bio: str = ""
    gender: str = ""


NETWORKS = (
    DemoNetwork(
        slug=GENDER,
        name="Network for Gender Equality and Diversity in Customs",
        tagline="Raising awareness of gender equality and diversity, and promoting the champions who drive it.",
        mission="""\
We share the inspirational experiences of customs officers and leaders, private-sector representatives
and other trade stakeholders who have driven gender equality and diversity forward — and we promote
them as **champions**.

Together we:

- advocate **gender-responsive and inclusive policies** in customs administrations;
- seek the support of senior management, and collaboration with the private sector;
- put the *Declaration on Gender Equality and Diversity in Customs* and the *Gender Equality
  Organizational Assessment Tool* to work.

Our first global conference was held online on International Women's Day, 8 March 2022.
""",
    ),
    DemoNetwork(
        slug=CWOF,
        name="Customs Work Organization Forum",
        tagline="A knowledge-management ecosystem on the future of work in customs.",
        mission="""\
The Forum looks at **work setup, workplace design and workforce management** from the client, staff,
process and technology perspectives.

Members present case studies at our meetings — the 1st on 13 December 2022, the 2nd held virtually
on 23 May 2023 with all six regions represented — and we build from them a **Compendium of best
practices**, a guide on hybrid customs administrations, and a global conference on working models in
the new normal.
""",
    ),
)

ADMIN, MODERATOR, CHAMPION, MEMBER = "admin", "moderator", "champion", "member"
# Not roles but states the demo shows to admins: a request awaiting approval, an invitation not yet answered.
PENDING, INVITED = "pending", "invited"

MEMBERS = (
    # --- East and Southern Africa
    DemoMember(
        "amina.wanjiru",
        "Amina Wanjiru",
        "KE",
        "customs",
        "Kenya Revenue Authority",
        "Deputy Commissioner, Human Capital",
        ("en", "sw"),
        ("gender mainstreaming", "leadership", "mentoring"),
        {GENDER: ADMIN, CWOF: MEMBER},
        "I lead people development at a revenue authority and coordinate the network's champions.",
        "woman",
    ),
    DemoMember(
        "thandiwe.nkosi",
        "Thandiwe Nkosi",
        "ZA",
        "customs",
        "South African Revenue Service",
        "Change manager, modernization programme",
        ("en",),
        ("change management", "hybrid work"),
        {CWOF: MEMBER, GENDER: MEMBER},
    ),
    DemoMember(
        "priya.ramgoolam",
        "Priya Ramgoolam",
        "MU",
        "customs",
        "Mauritius Revenue Authority",
        "Head of Employee Relations",
        ("en", "fr"),
        ("employee relations", "trust", "well-being"),
        {CWOF: CHAMPION},
        "Our case study on fostering trust in the employment relationship was presented at the "
        "Forum's 2nd meeting.",
        "woman",
    ),
    DemoMember(
        "joseph.banda",
        "Joseph Banda",
        "ZM",
        "customs",
        "Zambia Revenue Authority",
        "Customs officer, border post operations",
        ("en",),
        ("border management", "shift work"),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "hana.tesfaye",
        "Hana Tesfaye",
        "ET",
        "intl",
        "Regional capacity building office",
        "Capacity-building adviser",
        ("en", "am"),
        ("training", "competency frameworks"),
        {GENDER: CHAMPION},
        "I help administrations build competency frameworks that open careers to everyone.",
    ),
    DemoMember(
        "ravo.rakoto",
        "Ravo Rakotomalala",
        "MG",
        "customs",
        "Madagascar Customs",
        "HR officer",
        ("fr",),
        ("recruitment",),
        {GENDER: PENDING},
    ),
    DemoMember(
        "lerato.mokoena",
        "Lerato Mokoena",
        "BW",
        "academia",
        "University of Botswana",
        "Lecturer in public administration",
        ("en",),
        ("research", "public administration"),
        {GENDER: MEMBER},
    ),
    # --- West and Central Africa
    DemoMember(
        "chinedu.okafor",
        "Chinedu Okafor",
        "NG",
        "customs",
        "Nigeria Customs Service",
        "Deputy Comptroller, Modernisation",
        ("en", "yo"),
        ("digital transformation", "process re-engineering"),
        {CWOF: CHAMPION, GENDER: MEMBER},
        "We re-engineered our operational processes alongside a digital transformation; "
        "I presented the case study at the Forum.",
        "man",
    ),
    DemoMember(
        "aissatou.diallo",
        "Aïssatou Diallo",
        "SN",
        "customs",
        "Direction générale des Douanes du Sénégal",
        "Inspectrice principale des douanes",
        ("fr",),
        ("gender equality", "leadership"),
        {GENDER: CHAMPION},
        "Je partage l'expérience des femmes inspectrices des douanes en Afrique de l'Ouest.",
        "woman",
    ),
    DemoMember(
        "kwame.mensah",
        "Kwame Mensah",
        "GH",
        "private",
        "Ghana Freight Forwarders Association",
        "Trade facilitation lead",
        ("en",),
        ("trade facilitation", "private sector"),
        {GENDER: MEMBER},
    ),
    DemoMember(
        "jeanne.mbarga",
        "Jeanne Mbarga",
        "CM",
        "customs",
        "Douanes camerounaises",
        "Chef de service des ressources humaines",
        ("fr", "en"),
        ("workforce planning",),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "ibrahim.traore",
        "Ibrahim Traoré",
        "CI",
        "consultant",
        "Independent consultant",
        "Organisational development consultant",
        ("fr",),
        ("organisational design",),
        {CWOF: PENDING},
    ),
    DemoMember(
        "fatou.ceesay",
        "Fatou Ceesay",
        "GM",
        "civil",
        "Women in Trade Gambia",
        "Programme coordinator",
        ("en",),
        ("women in trade", "advocacy"),
        {GENDER: MEMBER},
    ),
    # --- North of Africa, Near and Middle East
    DemoMember(
        "noura.alqahtani",
        "Noura Al-Qahtani",
        "SA",
        "customs",
        "Zakat, Tax and Customs Authority",
        "Director, Employee Experience",
        ("ar", "en"),
        ("well-being", "employee experience"),
        {CWOF: CHAMPION, GENDER: MEMBER},
        "Our employee well-being programme was one of the case studies at the Forum's 2nd meeting.",
        "woman",
    ),
    DemoMember(
        "youssef.benali",
        "Youssef Benali",
        "MA",
        "customs",
        "Administration des Douanes et Impôts Indirects",
        "Head of training",
        ("ar", "fr"),
        ("learning and development",),
        {CWOF: MODERATOR},
    ),
    DemoMember(
        "layla.haddad",
        "Layla Haddad",
        "JO",
        "customs",
        "Jordan Customs",
        "Gender focal point",
        ("ar", "en"),
        ("gender focal points", "policy"),
        {GENDER: MODERATOR},
        "",
        "woman",
    ),
    DemoMember(
        "omar.farouk",
        "Omar Farouk",
        "EG",
        "customs",
        "Egyptian Customs Authority",
        "Inspector",
        ("ar",),
        ("risk management",),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "mariam.alsuwaidi",
        "Mariam Al Suwaidi",
        "AE",
        "customs",
        "Federal Authority for Identity, Citizenship, Customs and Port Security",
        "Strategy analyst",
        ("ar", "en"),
        ("strategy", "performance management"),
        {GENDER: MEMBER, CWOF: MEMBER},
    ),
    DemoMember(
        "karim.mansour",
        "Karim Mansour",
        "TN",
        "academia",
        "Université de Tunis",
        "Researcher in labour sociology",
        ("ar", "fr"),
        ("future of work",),
        {CWOF: MEMBER},
    ),
    # --- Europe
    DemoMember(
        "aino.virtanen",
        "Aino Virtanen",
        "FI",
        "customs",
        "Finnish Customs",
        "Workplace development manager",
        ("fi", "sv", "en"),
        ("workplace design", "activity-based working"),
        {CWOF: CHAMPION},
        "Finnish Customs' workplace design strategy in the new normal: what we changed and why.",
        "woman",
    ),
    DemoMember(
        "lucia.fernandez",
        "Lucía Fernández",
        "ES",
        "customs",
        "Agencia Tributaria",
        "Head of HR policy",
        ("es", "en"),
        ("hr policy", "diversity"),
        {GENDER: CHAMPION},
        "Diversity and inclusion policies need data: I help administrations measure and act.",
    ),
    DemoMember(
        "marc.dubois",
        "Marc Dubois",
        "BE",
        "intl",
        "International customs organization secretariat",
        "Programme officer, people development",
        ("fr", "en", "nl"),
        ("capacity building", "conferences"),
        {CWOF: ADMIN, GENDER: MEMBER},
        "I coordinate the Forum's meetings and the drafting of the Compendium of best practices.",
        "man",
    ),
    DemoMember(
        "sophie.martin",
        "Sophie Martin",
        "FR",
        "customs",
        "Direction générale des douanes et droits indirects",
        "Cheffe de bureau, organisation du travail",
        ("fr", "en"),
        ("hybrid work", "work organisation"),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "jan.kowalski",
        "Jan Kowalski",
        "PL",
        "customs",
        "National Revenue Administration",
        "Team leader",
        ("pl", "en"),
        ("team leadership",),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "elif.yilmaz",
        "Elif Yılmaz",
        "TR",
        "customs",
        "Ministry of Trade, Customs",
        "Customs expert",
        ("tr", "en"),
        ("gender equality",),
        {GENDER: MEMBER},
    ),
    DemoMember(
        "anna.schmidt",
        "Anna Schmidt",
        "DE",
        "private",
        "European logistics federation",
        "Compliance manager",
        ("de", "en"),
        ("compliance", "private sector"),
        {GENDER: MEMBER},
    ),
    DemoMember(
        "olga.ivanova",
        "Olga Ivanova",
        "KZ",
        "customs",
        "State Revenue Committee",
        "HR specialist",
        ("ru", "en"),
        ("recruitment", "career paths"),
        {CWOF: MEMBER},
    ),
    # --- Asia/Pacific
    DemoMember(
        "aroha.ngata",
        "Aroha Ngata",
        "NZ",
        "customs",
        "New Zealand Customs Service",
        "Maritime workforce lead",
        ("en", "mi"),
        ("maritime workforce", "workforce planning"),
        {CWOF: CHAMPION, GENDER: CHAMPION},
        "Creating a maritime workforce: how we recruited, trained and kept people at sea and ashore.",
        "woman",
    ),
    DemoMember(
        "mei.lin",
        "Lin Mei",
        "CN",
        "customs",
        "General Administration of Customs",
        "Deputy director, personnel",
        ("zh", "en"),
        ("talent management",),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "arjun.sharma",
        "Arjun Sharma",
        "IN",
        "customs",
        "Central Board of Indirect Taxes and Customs",
        "Additional commissioner",
        ("hi", "en"),
        ("performance management",),
        {GENDER: MEMBER},
    ),
    DemoMember(
        "siti.rahman",
        "Siti Rahman",
        "MY",
        "customs",
        "Royal Malaysian Customs Department",
        "Training officer",
        ("ms", "en"),
        ("e-learning",),
        {GENDER: MEMBER, CWOF: MEMBER},
    ),
    DemoMember(
        "yuki.tanaka",
        "Yuki Tanaka",
        "JP",
        "academia",
        "Institute for customs research",
        "Associate professor",
        ("ja", "en"),
        ("research", "organisational culture"),
        {CWOF: MEMBER, GENDER: INVITED},
    ),
    DemoMember(
        "sefa.tuilagi",
        "Sefa Tuilagi",
        "WS",
        "customs",
        "Ministry of Customs and Revenue",
        "Senior customs officer",
        ("en",),
        ("small administrations",),
        {GENDER: PENDING},
    ),
    DemoMember(
        "ana.vakaloloma",
        "Ana Vakaloloma",
        "FJ",
        "other",
        "Customs staff association",
        "Staff representative",
        ("en",),
        ("staff well-being", "employee voice"),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "nguyen.thi.lan",
        "Nguyễn Thị Lan",
        "VN",
        "customs",
        "General Department of Customs",
        "Officer, international cooperation",
        ("vi", "en"),
        ("international cooperation",),
        {GENDER: MEMBER},
    ),
    # --- The Americas and the Caribbean
    DemoMember(
        "claire.tremblay",
        "Claire Tremblay",
        "CA",
        "customs",
        "Canada Border Services Agency",
        "Director, Workplace Transformation",
        ("en", "fr"),
        ("workplace design", "future of work"),
        {CWOF: CHAMPION, GENDER: MEMBER},
        "Workplace design as part of the future of work: the Canadian case study.",
        "woman",
    ),
    DemoMember(
        "carmen.reyes",
        "Carmen Reyes",
        "DO",
        "customs",
        "Dirección General de Aduanas",
        "Gender equality coordinator",
        ("es",),
        ("gender equality", "policy"),
        {GENDER: CHAMPION},
        "Coordino la política de igualdad de género de nuestra aduana.",
        "woman",
    ),
    DemoMember(
        "diego.silva",
        "Diego Silva",
        "BR",
        "customs",
        "Receita Federal do Brasil",
        "Auditor, people management",
        ("pt", "es", "en"),
        ("people analytics",),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "andre.baptiste",
        "André Baptiste",
        "JM",
        "customs",
        "Jamaica Customs Agency",
        "Human resource manager",
        ("en",),
        ("staff resilience",),
        {GENDER: MEMBER, CWOF: MEMBER},
    ),
    DemoMember(
        "valentina.rojas",
        "Valentina Rojas",
        "CO",
        "consultant",
        "Rojas & Asociados",
        "Consultant in organisational change",
        ("es", "en"),
        ("change management",),
        {CWOF: MEMBER},
    ),
    DemoMember(
        "michael.brooks",
        "Michael Brooks",
        "US",
        "private",
        "Cross-border trade council",
        "Director of trade policy",
        ("en",),
        ("trade policy",),
        {GENDER: MEMBER},
    ),
    DemoMember(
        "rosa.mendoza",
        "Rosa Mendoza",
        "PE",
        "civil",
        "Mujeres en Comercio Exterior",
        "Founder",
        ("es",),
        ("women in trade",),
        {GENDER: MEMBER},
    ),
)


@dataclass(frozen=True)
class DemoRoom:
    network: str
    name: str  # "General" is the room every network has from its first day
    topic: str = ""
    # (author handle, Markdown body, reactions as (handle, kind) pairs)
    messages: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = ()


ROOMS = (
    DemoRoom(
        GENDER,
        "General",
        messages=(
            (
                "amina.wanjiru",
                "Welcome, everyone! Introduce yourself and tell us what you are working on this year.",
                (("aissatou.diallo", "HEART"), ("carmen.reyes", "THUMBS_UP")),
            ),
            (
                "aissatou.diallo",
                "Bonjour à toutes et à tous ! I coordinate our women inspectors' mentoring circle in Dakar.",
                (),
            ),
            (
                "carmen.reyes",
                "Hola! We just finished our first **gender equality organizational assessment** — happy to "
                "share what we learnt.",
                (("lucia.fernandez", "PARTY"),),
            ),
            (
                "lucia.fernandez",
                "@carmen.reyes yes please! Which parts of the assessment tool were hardest to apply?",
                (),
            ),
            (
                "carmen.reyes",
                "Collecting sex-disaggregated data on promotions. We had to change two HR reports first.",
                (("amina.wanjiru", "IDEA"),),
            ),
        ),
    ),
    DemoRoom(
        GENDER,
        "Champions' corner",
        "Champions compare notes on advocacy with senior management.",
        messages=(
            (
                "aroha.ngata",
                "What convinced your leadership team? For us it was the retention figures at sea.",
                (),
            ),
            (
                "hana.tesfaye",
                "Linking the Declaration to our competency framework made it concrete for directors.",
                (("aroha.ngata", "THUMBS_UP"),),
            ),
        ),
    ),
    DemoRoom(
        CWOF,
        "General",
        messages=(
            (
                "marc.dubois",
                "The draft compendium chapters are taking shape: work setup, workplace design, workforce "
                "management. Case studies welcome until the 3rd meeting.",
                (("claire.tremblay", "THUMBS_UP"),),
            ),
            ("claire.tremblay", "Our workplace design case study is ready for review.", ()),
            (
                "noura.alqahtani",
                "We can add the employee well-being programme figures from this year.",
                (("priya.ramgoolam", "HEART"),),
            ),
        ),
    ),
    DemoRoom(
        CWOF,
        "Hybrid working models",
        "Work setup in the new normal: what works for border and back-office teams.",
        messages=(
            (
                "aino.virtanen",
                "In Finland, activity-based offices work for back-office teams; border posts stay on shifts.",
                (),
            ),
            ("sophie.martin", "Same in France. The hard part is fair rules for teams that mix both.", ()),
            (
                "chinedu.okafor",
                "Digital processes came first for us — hybrid work followed once the paper was gone.",
                (("aino.virtanen", "IDEA"),),
            ),
        ),
    ),
)


# --- The forum ---------------------------------------------------------------------------------------
# Reactions are (handle, ReactionKind name) pairs; a reply's `reply_to` is the number of the post of the
# same topic it answers (1 is the opening post).
Reactions = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DemoReply:
    author: str
    body: str
    reply_to: int | None = None
    reactions: Reactions = ()


@dataclass(frozen=True)
class DemoTopic:
    author: str
    title: str
    body: str
    reactions: Reactions = ()
    replies: tuple[DemoReply, ...] = ()
    # The number of the reply the topic's author accepted as the answer.
    accepted: int | None = None
    # Pinned or locked by the network's moderator (DemoCategory's network, MODERATORS below).
    pinned: bool = False
    locked: bool = False


@dataclass(frozen=True)
class DemoCategory:
    network: str
    name: str
    description: str
    # Announcements: only moderators start topics there, every member may reply.
    moderators_only: bool = False
    # Oldest first: the last one is the most recently active.
    topics: tuple[DemoTopic, ...] = ()


# Who pins and locks topics in each network.
FORUM_MODERATORS = {GENDER: "layla.haddad", CWOF: "youssef.benali"}

CATEGORIES = (
    # --- Network for Gender Equality and Diversity in Customs
    DemoCategory(
        GENDER,
        "Announcements",
        "News from the network's coordinators: conferences, calls for stories, new tools.",
        moderators_only=True,
        topics=(
            DemoTopic(
                "layla.haddad",
                "Welcome to the forum: how we share experiences here",
                """\
Welcome! This forum is where the network keeps what its members learn, so that a good idea shared
in Dakar can be found next year in Suva.

- **Champions' experiences**: tell the story of what you changed, what it took and who helped.
- **Policies and assessment**: questions and answers on the *Declaration on Gender Equality and
  Diversity in Customs* and the *Gender Equality Organizational Assessment Tool*.
- **Inclusion and well-being**: flexible work, mentoring, careers, safe workplaces.

Write in the language you are most comfortable with: many of us read English, French, Spanish and
Arabic. Please keep personal data about colleagues out of your posts.""",
                reactions=(
                    ("amina.wanjiru", "THUMBS_UP"),
                    ("carmen.reyes", "HEART"),
                    ("aissatou.diallo", "THANKS"),
                ),
                replies=(
                    DemoReply(
                        "aissatou.diallo",
                        "Merci Layla ! Our mentoring circle will post its notes here after each meeting.",
                        reactions=(("layla.haddad", "HEART"),),
                    ),
                ),
                pinned=True,
            ),
            DemoTopic(
                "amina.wanjiru",
                "Looking back at our first global conference, 8 March 2022",
                """\
Our first global conference, held online on **International Women's Day**, brought together customs
officers and leaders, private-sector representatives and researchers from every region.

The presentations and the meeting documents are now available to download from the network's page.
Three messages came back in almost every session:

1. senior management support makes the difference between a policy and a practice;
2. you cannot manage what you do not measure — start with sex-disaggregated HR data;
3. champions inspire more than circulars do.

Thank you to every speaker and to the champions who told their stories.""",
                reactions=(("lucia.fernandez", "PARTY"), ("hana.tesfaye", "THUMBS_UP")),
                replies=(
                    DemoReply(
                        "kwame.mensah",
                        "The private-sector panel was a first for us freight forwarders. We would welcome a "
                        "follow-up session on women in cross-border logistics.",
                        reactions=(("fatou.ceesay", "THUMBS_UP"), ("rosa.mendoza", "THUMBS_UP")),
                    ),
                    DemoReply(
                        "fatou.ceesay",
                        "Seconded — and with the women traders at the borders, who are rarely in the room.",
                        reply_to=2,
                        reactions=(("kwame.mensah", "HEART"),),
                    ),
                ),
            ),
        ),
    ),
    DemoCategory(
        GENDER,
        "Champions' experiences",
        "Champions tell what they changed in their administration, what it took, and who helped.",
        topics=(
            DemoTopic(
                "aroha.ngata",
                "Recruiting women for a maritime workforce: what worked at sea and ashore",
                """\
When we set out to build our maritime workforce, fewer than one applicant in ten was a woman. Three
years later it is one in three. What made the difference:

- job adverts that describe the work as it is (boarding, inspections, long days) **and** the support
  around it;
- crew rosters planned with families, published months ahead;
- women officers at the recruitment days, not only on the posters;
- facilities on the vessels designed for mixed crews from the start.

Retention was the argument that convinced our leadership team: trained officers who stay are far
cheaper than trained officers who leave.""",
                reactions=(
                    ("hana.tesfaye", "IDEA"),
                    ("carmen.reyes", "HEART"),
                    ("amina.wanjiru", "THUMBS_UP"),
                ),
                replies=(
                    DemoReply(
                        "hana.tesfaye",
                        "The published rosters are such a simple idea. Did the unions take part in planning them?",
                        reactions=(("aroha.ngata", "THUMBS_UP"),),
                    ),
                    DemoReply(
                        "aroha.ngata",
                        "Yes, from the first draft. It took longer, but nobody contested the result.",
                        reply_to=2,
                        reactions=(("hana.tesfaye", "THANKS"),),
                    ),
                    DemoReply(
                        "elif.yilmaz",
                        "We are about to open our first mixed boarding teams. Could you share the job advert "
                        "wording, @aroha.ngata?",
                    ),
                    DemoReply(
                        "aroha.ngata",
                        "Of course — I will attach it to the compendium entry and link it here.",
                        reply_to=4,
                        reactions=(("elif.yilmaz", "THANKS"),),
                    ),
                ),
            ),
            DemoTopic(
                "aissatou.diallo",
                "Un cercle de mentorat pour les inspectrices des douanes",
                """\
À Dakar, nous avons lancé un **cercle de mentorat** : douze inspectrices, quatre mentores, une
rencontre par mois. Les sujets viennent des participantes — préparer un concours, diriger une
brigade, revenir d'un congé de maternité.

Après un an : trois promotions, et surtout des collègues qui osent se porter candidates. Je cherche
des réseaux qui ont fait la même chose pour comparer nos méthodes.""",
                reactions=(("carmen.reyes", "HEART"), ("layla.haddad", "THUMBS_UP")),
                replies=(
                    DemoReply(
                        "carmen.reyes",
                        "¡Qué buena iniciativa! Nosotras empezamos con mentoría entre pares; los resultados "
                        "son parecidos. ¿Cómo eligieron a las mentoras?",
                    ),
                    DemoReply(
                        "aissatou.diallo",
                        "Sur la base du volontariat, avec l'accord de leur hiérarchie — c'est important "
                        "pour qu'elles aient le temps de s'y consacrer.",
                        reply_to=2,
                        reactions=(("carmen.reyes", "THANKS"),),
                    ),
                    DemoReply(
                        "lerato.mokoena",
                        "I would love to study this with you: a short survey before and after the year "
                        "would make a strong case study for the compendium.",
                        reactions=(("aissatou.diallo", "IDEA"),),
                    ),
                ),
            ),
            DemoTopic(
                "carmen.reyes",
                "Convincing senior management: the argument that worked for us",
                """\
Our director general agreed to a gender equality action plan only after we showed him **one
table**: promotions by sex, grade by grade, over five years. The gap opened at exactly one step —
from inspector to head of unit.

Numbers from our own HR system spoke louder than any international comparison. What convinced
your leadership?""",
                reactions=(("lucia.fernandez", "IDEA"), ("aroha.ngata", "THUMBS_UP")),
                replies=(
                    DemoReply(
                        "lucia.fernandez",
                        "Same experience in Spain. We added exit interviews: the reasons people gave for "
                        "leaving were the second table our management asked for.",
                        reactions=(("carmen.reyes", "THUMBS_UP"),),
                    ),
                    DemoReply(
                        "hana.tesfaye",
                        "Linking the Declaration to our competency framework made it concrete for directors: "
                        "every manager's appraisal now includes inclusive leadership.",
                        reactions=(("carmen.reyes", "IDEA"), ("amina.wanjiru", "THUMBS_UP")),
                    ),
                    DemoReply(
                        "michael.brooks",
                        "From the trade side: when customs leaders told our council about their plan, we "
                        "offered internships for women officers in member companies. Ask your private sector.",
                        reactions=(("carmen.reyes", "PARTY"),),
                    ),
                ),
            ),
        ),
    ),
    DemoCategory(
        GENDER,
        "Policies and assessment",
        "The Declaration, the Gender Equality Organizational Assessment Tool, and policies that work.",
        topics=(
            DemoTopic(
                "arjun.sharma",
                "Where do we start with the Gender Equality Organizational Assessment Tool?",
                """\
We have committed to run the assessment this year. The tool covers a lot of ground — policies,
recruitment, careers, working conditions, the organization's culture. Where would you begin with a
small team and six months?""",
                replies=(
                    DemoReply(
                        "siti.rahman",
                        "We went section by section and lost momentum halfway. I would not do it that way again.",
                    ),
                    DemoReply(
                        "lucia.fernandez",
                        """\
Start with the data you already have, then interview. Our order:

1. **HR data** first: staff by sex, grade, post and region; recruitment and promotion rates.
2. A short **staff survey** on working conditions — anonymous, ten questions at most.
3. **Focus groups** at two or three sites where the numbers surprised you.
4. Only then the policy review, with the evidence in hand.

Name a sponsor in senior management before you begin: the assessment asks for data owned by several
departments.""",
                        reply_to=1,
                        reactions=(
                            ("arjun.sharma", "THANKS"),
                            ("siti.rahman", "THUMBS_UP"),
                            ("nguyen.thi.lan", "IDEA"),
                        ),
                    ),
                    DemoReply(
                        "arjun.sharma",
                        "Thank you, this is the plan we needed. The sponsor point is well taken.",
                        reply_to=3,
                    ),
                    DemoReply(
                        "nguyen.thi.lan",
                        "We translated the survey questions into Vietnamese; happy to share them with anyone "
                        "working in a language other than English or French.",
                        reactions=(("layla.haddad", "HEART"),),
                    ),
                ),
                accepted=3,
            ),
            DemoTopic(
                "mariam.alsuwaidi",
                "Measuring inclusion beyond headcount",
                """\
Headcount by sex is where most of us start, but it says little about whether people feel they
belong. Has anyone built indicators for inclusion itself — participation in decisions, access to
training, flexible-work uptake by men and women?""",
                replies=(
                    DemoReply(
                        "lucia.fernandez",
                        "Training hours by sex and grade were revealing for us, and easy to extract.",
                        reactions=(("mariam.alsuwaidi", "THUMBS_UP"),),
                    ),
                    DemoReply(
                        "anna.schmidt",
                        "In our federation we ask one question every quarter: *Would you recommend your team to "
                        "a friend?* Broken down by group, it moves before the turnover figures do.",
                        reactions=(("mariam.alsuwaidi", "IDEA"), ("lerato.mokoena", "IDEA")),
                    ),
                ),
            ),
        ),
    ),
    DemoCategory(
        GENDER,
        "Inclusion and well-being",
        "Flexible work, careers, safe and welcoming workplaces for everyone.",
        topics=(
            DemoTopic(
                "andre.baptiste",
                "Returning from parental leave: easing people back in",
                """\
Officers returning from parental leave tell us the first month is the hardest: new procedures,
new systems, sometimes a new team. We are piloting a **return plan** — a half-day briefing, a buddy,
and a reduced roster for four weeks. What do others offer?""",
                reactions=(("thandiwe.nkosi", "HEART"),),
                replies=(
                    DemoReply(
                        "thandiwe.nkosi",
                        "We offer the same to fathers, and say so loudly. Uptake by men doubled when a "
                        "director took the leave himself.",
                        reactions=(("andre.baptiste", "THUMBS_UP"), ("claire.tremblay", "HEART")),
                    ),
                    DemoReply(
                        "claire.tremblay",
                        "Keeping-in-touch days during the leave, paid and optional, helped our returners most.",
                        reply_to=1,
                    ),
                ),
            ),
        ),
    ),
    # --- Customs Work Organization Forum
    DemoCategory(
        CWOF,
        "Announcements",
        "Meetings of the Forum, the compendium's progress, calls for case studies.",
        moderators_only=True,
        topics=(
            DemoTopic(
                "youssef.benali",
                "Registration for the 2nd Forum meeting, 23 May 2023 (virtual)",
                """\
The Forum's **2nd meeting** will be held virtually on 23 May 2023. Members from all six regions have
registered to present case studies on work setup, workplace design and workforce management.

Reply here to register your administration and tell us the case study you would present.""",
                replies=(
                    DemoReply(
                        "noura.alqahtani",
                        "Registering for ZATCA: our employee well-being programme.",
                        reactions=(("youssef.benali", "THUMBS_UP"),),
                    ),
                    DemoReply(
                        "priya.ramgoolam",
                        "Mauritius Revenue Authority: fostering trust in the employment relationship.",
                        reactions=(("youssef.benali", "THUMBS_UP"),),
                    ),
                    DemoReply(
                        "youssef.benali",
                        "Registration is closed — thank you all. The presentations and meeting documents are "
                        "published on the Forum's page.",
                    ),
                ),
                locked=True,
            ),
            DemoTopic(
                "marc.dubois",
                "Towards the 3rd meeting: the draft Compendium of best practices",
                """\
Thank you to everyone who presented at our 1st (13 December 2022) and 2nd (23 May 2023) meetings.
The **draft Compendium of best practices** will be presented at the 3rd meeting, planned for late
2023. It has three parts:

- **work organization** — hybrid and flexible models, shift work at the border;
- **workplace design** — the Canadian and Finnish case studies, among others;
- **workforce management** — recruitment, trust, well-being, the maritime workforce.

Case studies are welcome until the end of September. Use the categories below to discuss them; the
compendium will link back to these threads.""",
                reactions=(
                    ("claire.tremblay", "THUMBS_UP"),
                    ("aino.virtanen", "THUMBS_UP"),
                    ("priya.ramgoolam", "PARTY"),
                ),
                replies=(
                    DemoReply(
                        "karim.mansour",
                        "Will the compendium include a short method note on how case studies were selected? "
                        "Researchers will ask.",
                    ),
                    DemoReply(
                        "marc.dubois",
                        "Good point — yes, one page on selection and on how each administration reviewed its text.",
                        reply_to=2,
                        reactions=(("karim.mansour", "THANKS"),),
                    ),
                ),
                pinned=True,
            ),
        ),
    ),
    DemoCategory(
        CWOF,
        "Hybrid working models",
        "Work setup in the new normal: what works for border, field and back-office teams.",
        topics=(
            DemoTopic(
                "joseph.banda",
                "How do you organise hybrid work when half the team is at a border post?",
                """\
At our border posts, clearance and inspection cannot be done from home; our risk analysts and
accountants can work anywhere. Every hybrid rule we try feels unfair to one half of the team.
How do others set fair rules for mixed teams?""",
                replies=(
                    DemoReply(
                        "sophie.martin",
                        "Same question in France. We stopped trying to give everyone the same number of "
                        "remote days and looked at *flexibility* instead.",
                        reactions=(("joseph.banda", "THUMBS_UP"),),
                    ),
                    DemoReply(
                        "aino.virtanen",
                        """\
What worked for Finnish Customs:

- **Rosters published four weeks ahead**, so frontline staff can plan their lives as remote workers do.
- **Shift swaps** through a self-service app, approved by the team rather than by a manager.
- Analysts spend **one day a month at a border post**, which ended the "us and them" talk quickly.
- The same training budget and the same career paths for both groups.

Fairness came from giving each group the flexibility its work allows, not the same rule.""",
                        reply_to=1,
                        reactions=(
                            ("joseph.banda", "THANKS"),
                            ("sophie.martin", "IDEA"),
                            ("olga.ivanova", "THUMBS_UP"),
                        ),
                    ),
                    DemoReply(
                        "joseph.banda",
                        "The day a month at the border is a great idea. We will try it with our analysts in Chirundu.",
                        reply_to=3,
                        reactions=(("aino.virtanen", "HEART"),),
                    ),
                    DemoReply(
                        "valentina.rojas",
                        "From change-management work with several administrations: publish the *reasons* for "
                        "each rule. People accept differences they understand.",
                    ),
                ),
                accepted=3,
            ),
            DemoTopic(
                "chinedu.okafor",
                "Digital processes first, hybrid work second",
                """\
In our administration hybrid work only became possible once the paper was gone. We re-engineered
our operational processes alongside the digital transformation — declarations, approvals, even
internal memos — and remote work followed almost by itself.

If your administration is debating remote-work rules while files still travel on trolleys, start
with the processes.""",
                reactions=(("aino.virtanen", "IDEA"), ("jeanne.mbarga", "THUMBS_UP")),
                replies=(
                    DemoReply(
                        "jeanne.mbarga",
                        "Très juste. Chez nous, la signature électronique des actes RH a tout débloqué.",
                        reactions=(("chinedu.okafor", "THUMBS_UP"),),
                    ),
                    DemoReply(
                        "mei.lin",
                        "Which process did you digitise first? We have to choose between declarations and HR.",
                    ),
                    DemoReply(
                        "chinedu.okafor",
                        "The ones that touch the trader — declarations and payments. Internal HR came second; "
                        "the savings from the first paid for it.",
                        reply_to=3,
                        reactions=(("mei.lin", "THANKS"),),
                    ),
                ),
            ),
            DemoTopic(
                "diego.silva",
                "What data do you keep on hybrid work?",
                """\
Our directors ask whether hybrid work changed productivity. We have clearance times and audit
results, but nothing that links them to where people worked. What do you measure, and how do you
keep it from becoming surveillance?""",
                replies=(
                    DemoReply(
                        "yuki.tanaka",
                        "Our research found team-level outcomes far more telling than individual tracking — "
                        "and they do not damage trust.",
                        reactions=(("diego.silva", "IDEA"), ("priya.ramgoolam", "THUMBS_UP")),
                    ),
                ),
            ),
        ),
    ),
    DemoCategory(
        CWOF,
        "Workplace design case studies",
        "Offices, border posts and vessels designed for the way customs works now.",
        topics=(
            DemoTopic(
                "claire.tremblay",
                "Case study: workplace design as part of the future of work (Canada)",
                """\
Our case study looks at workplace design **as part of** the future of work, not as a real-estate
project. Three lessons:

1. Design from the work: we mapped activities before drawing a single floor plan.
2. Involve the people who will use the space — officers tested mock-ups for two months.
3. Measure after moving in: occupancy, noise, and what staff say after six months.

The full case study and the floor plans are in the compendium draft.""",
                reactions=(("aino.virtanen", "THUMBS_UP"), ("marc.dubois", "PARTY")),
                replies=(
                    DemoReply(
                        "aino.virtanen",
                        "Mapping activities first is exactly where we started too. How many work settings "
                        "did you end up with?",
                    ),
                    DemoReply(
                        "claire.tremblay",
                        "Six: focus rooms, team tables, quiet booths, meeting rooms, a training space and "
                        "the inspection areas, which stayed as they were.",
                        reply_to=2,
                        reactions=(("aino.virtanen", "THANKS"),),
                    ),
                    DemoReply(
                        "ana.vakaloloma",
                        "Speaking for staff: please keep lockers and a quiet room for people who work shifts "
                        "and have no desk of their own.",
                        reactions=(("claire.tremblay", "HEART"), ("priya.ramgoolam", "THUMBS_UP")),
                    ),
                ),
            ),
            DemoTopic(
                "aino.virtanen",
                "Finnish Customs' workplace design strategy in the new normal",
                """\
After the pandemic our offices were half empty on most days and full on Tuesdays. Our strategy:

- **activity-based offices** for back-office teams, with team "home zones";
- fewer square metres, better rooms: the savings paid for meeting technology;
- border posts and laboratories kept as dedicated spaces.

A year on, staff satisfaction with the workplace rose, and we gave back two floors.""",
                reactions=(("claire.tremblay", "IDEA"), ("sophie.martin", "THUMBS_UP")),
                replies=(
                    DemoReply(
                        "olga.ivanova",
                        "How did you handle the Tuesday peaks? Booking systems, or team days agreed in advance?",
                    ),
                    DemoReply(
                        "aino.virtanen",
                        "Team days agreed in advance, and a booking system only for the quiet rooms.",
                        reply_to=2,
                        reactions=(("olga.ivanova", "THANKS"),),
                    ),
                ),
            ),
        ),
    ),
    DemoCategory(
        CWOF,
        "Well-being at work",
        "Staff resilience and well-being, trust in the employment relationship, workforce management.",
        topics=(
            DemoTopic(
                "noura.alqahtani",
                "Our employee well-being programme: one year of figures",
                """\
Our employee well-being programme, presented at the Forum's 2nd meeting, rests on four pillars:
physical health, mental health, financial well-being and social connection. After a year:

- 71% of employees took part in at least one activity;
- sick-leave days fell in the teams that joined the pilot first;
- the most used service was confidential counselling — which surprised our managers.

Ask me anything about how we set it up.""",
                reactions=(
                    ("priya.ramgoolam", "HEART"),
                    ("ana.vakaloloma", "THUMBS_UP"),
                    ("andre.baptiste", "THUMBS_UP"),
                ),
                replies=(
                    DemoReply(
                        "andre.baptiste",
                        "Counselling being the most used does not surprise me after the last years. Was it "
                        "run in-house or by an outside provider?",
                    ),
                    DemoReply(
                        "noura.alqahtani",
                        "An outside provider, so that staff trust it is confidential. Managers only ever see "
                        "totals.",
                        reply_to=2,
                        reactions=(("andre.baptiste", "THANKS"),),
                    ),
                    DemoReply(
                        "priya.ramgoolam",
                        "Trust is the whole point. In Mauritius we found well-being programmes work only where "
                        "staff already trust the employer — which is why our case study started there.",
                        reactions=(("noura.alqahtani", "IDEA"),),
                    ),
                ),
            ),
            DemoTopic(
                "priya.ramgoolam",
                "Fostering trust in the employment relationship",
                """\
Our case study began with a staff survey in which fewer than half of officers agreed that management
"keeps its promises". What we changed:

- **quarterly open meetings** with the director general, questions submitted anonymously;
- every policy change explained *before* it applies, with a named contact;
- a joint committee with staff representatives that meets whether or not there is a dispute.

Two years later the same question scores 68%. Trust takes years to build and a week to lose.""",
                reactions=(("ana.vakaloloma", "HEART"), ("noura.alqahtani", "THUMBS_UP")),
                replies=(
                    DemoReply(
                        "ana.vakaloloma",
                        "As a staff representative: the committee meeting *without* a dispute is the part "
                        "that matters most. Thank you for saying it.",
                        reactions=(("priya.ramgoolam", "HEART"),),
                    ),
                    DemoReply(
                        "jan.kowalski",
                        "How do you keep the anonymous questions from turning into complaints only?",
                    ),
                    DemoReply(
                        "priya.ramgoolam",
                        "We answer every question, including the hard ones, and publish the answers. After two "
                        "meetings the questions became suggestions.",
                        reply_to=3,
                        reactions=(("jan.kowalski", "THANKS"),),
                    ),
                ),
            ),
            DemoTopic(
                "aroha.ngata",
                "Rosters and rest for officers at sea",
                """\
Our maritime officers work long deployments. Since we planned rosters with crews and families, and
guaranteed rest days after each deployment, resignations fell sharply. Is anyone else looking at
fatigue in shift work at ports and borders?""",
                replies=(
                    DemoReply(
                        "omar.farouk",
                        "At our ports night shifts are the issue. We now limit them to three in a row.",
                        reactions=(("aroha.ngata", "THUMBS_UP"),),
                    ),
                ),
            ),
        ),
    ),
)
