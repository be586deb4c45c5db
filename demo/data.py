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
