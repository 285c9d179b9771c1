"""Fictional people for the demo: names from many cultures, real professions and countries.

Nothing here describes a real person. `demo_mentees` and `demo_mentors` return plain
dictionaries that the demo loader feeds through the same application service the public
form uses, so the demo exercises real code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from fpdf import FPDF


@dataclass(frozen=True)
class Origin:
    country: str
    languages: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


ORIGINS = (
    Origin(
        "Nigeria",
        ("English", "Yoruba"),
        ("Oluwaseun", "Chiamaka", "Emeka", "Adaeze", "Tunde"),
        ("Okafor", "Adeyemi", "Eze", "Nwosu", "Balogun"),
    ),
    Origin(
        "India",
        ("English", "Hindi"),
        ("Ananya", "Rahul", "Priya", "Arjun", "Kavya"),
        ("Sharma", "Iyer", "Reddy", "Menon", "Patel"),
    ),
    Origin(
        "Philippines",
        ("English", "Tagalog"),
        ("Maricel", "Jose", "Angelica", "Paolo", "Rowena"),
        ("Santos", "Reyes", "Dela Cruz", "Bautista", "Garcia"),
    ),
    Origin(
        "China",
        ("Mandarin", "English"),
        ("Mei", "Wei", "Xiaoling", "Jun", "Yan"),
        ("Zhang", "Wang", "Li", "Chen", "Liu"),
    ),
    Origin(
        "Syria",
        ("Arabic", "English"),
        ("Farah", "Omar", "Leila", "Karim", "Rania"),
        ("Haddad", "Khalil", "Nasser", "Farouk", "Darwish"),
    ),
    Origin(
        "Ukraine",
        ("Ukrainian", "Russian", "English"),
        ("Tatiana", "Bohdan", "Olena", "Andriy", "Iryna"),
        ("Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Tkachenko"),
    ),
    Origin(
        "Mexico",
        ("Spanish", "English"),
        ("Mateo", "Lucía", "Diego", "Valeria", "Andrés"),
        ("Gutiérrez", "Ramírez", "Morales", "Hernández", "Castillo"),
    ),
    Origin(
        "Colombia",
        ("Spanish", "English"),
        ("Camila", "Santiago", "Daniela", "Julián", "Paula"),
        ("Restrepo", "Cárdenas", "Ospina", "Salazar", "Rojas"),
    ),
    Origin(
        "Pakistan",
        ("Urdu", "Punjabi", "English"),
        ("Zainab", "Ahmed", "Ayesha", "Bilal", "Sana"),
        ("Hussain", "Qureshi", "Malik", "Siddiqui", "Chaudhry"),
    ),
    Origin(
        "Iran",
        ("Persian", "English"),
        ("Shirin", "Reza", "Nasrin", "Arash", "Parisa"),
        ("Rahimi", "Tehrani", "Karimi", "Moradi", "Hosseini"),
    ),
    Origin(
        "Ethiopia",
        ("Amharic", "English"),
        ("Selam", "Dawit", "Hana", "Yonas", "Meron"),
        ("Tesfaye", "Bekele", "Alemu", "Girma", "Haile"),
    ),
    Origin(
        "Brazil",
        ("Portuguese", "English"),
        ("João", "Beatriz", "Rafael", "Larissa", "Thiago"),
        ("Santos", "Oliveira", "Souza", "Ferreira", "Almeida"),
    ),
    Origin(
        "Vietnam",
        ("Vietnamese", "English"),
        ("Linh", "Minh", "Thao", "Huy", "Ngoc"),
        ("Nguyen", "Tran", "Pham", "Le", "Vo"),
    ),
    Origin(
        "Egypt",
        ("Arabic", "English"),
        ("Mariam", "Youssef", "Nour", "Mostafa", "Salma"),
        ("Abdelrahman", "Mansour", "Soliman", "Fahmy", "Ibrahim"),
    ),
    Origin(
        "Cameroon",
        ("French", "English"),
        ("Aminata", "Serge", "Chantal", "Blaise", "Estelle"),
        ("Mbarga", "Ndongo", "Fotso", "Kamga", "Tchoumi"),
    ),
)

# Mentors: established professionals in Alberta, several of them once newcomers themselves.
MENTOR_NAMES = (
    ("Grace", "MacLeod"),
    ("Daniel", "Fraser"),
    ("Sarah", "Tremblay"),
    ("Michael", "Campbell"),
    ("Jennifer", "Wong"),
    ("David", "Chen"),
    ("Harpreet", "Gill"),
    ("Emily", "Thompson"),
    ("Robert", "Lavoie"),
    ("Amanda", "Singh"),
    ("Kevin", "O'Brien"),
    ("Lisa", "Nakamura"),
    ("Mohammed", "Ali"),
    ("Catherine", "Roy"),
    ("James", "Whitehorse"),
    ("Nicole", "Dubois"),
    ("Brian", "Kowalski"),
    ("Rebecca", "Stewart"),
    ("Anil", "Kapoor"),
    ("Heather", "Morrison"),
)

# (NOC unit group, mentee title, mentor title, designation, regulated, licensing path, skills)
PROFESSIONS = {
    "engineering": [
        (
            "21300",
            "Civil engineer",
            "Senior civil engineer",
            "P.Eng.",
            True,
            "Working toward APEGA registration",
            "structural design, AutoCAD, site inspection, concrete, bridges",
        ),
        (
            "21301",
            "Mechanical engineer",
            "Mechanical engineering lead",
            "P.Eng.",
            True,
            "Working toward APEGA registration",
            "HVAC, SolidWorks, pumps, piping, maintenance planning",
        ),
        (
            "21310",
            "Electrical engineer",
            "Electrical engineer",
            "P.Eng.",
            True,
            "Working toward APEGA registration",
            "power systems, protection relays, substations, ETAP",
        ),
        (
            "21332",
            "Petroleum engineer",
            "Reservoir engineer",
            "P.Eng.",
            True,
            "Working toward APEGA registration",
            "reservoir simulation, drilling, production optimisation",
        ),
        (
            "21231",
            "Software engineer",
            "Software engineering manager",
            "",
            False,
            "",
            "Python, Java, cloud, microservices, agile",
        ),
        (
            "21211",
            "Data scientist",
            "Data scientist",
            "",
            False,
            "",
            "machine learning, SQL, statistics, Python, dashboards",
        ),
        (
            "21222",
            "IT systems analyst",
            "Information systems specialist",
            "",
            False,
            "",
            "networks, ITIL, systems administration, cybersecurity",
        ),
    ],
    "health": [
        (
            "31301",
            "Registered nurse",
            "Registered nurse, unit manager",
            "RN",
            True,
            "Working toward CRNA registration (NCLEX)",
            "acute care, patient assessment, medication administration",
        ),
        (
            "31102",
            "Family physician",
            "Family physician",
            "MD, CCFP",
            True,
            "Preparing for MCCQE and practice-ready assessment",
            "primary care, chronic disease, clinical skills",
        ),
        (
            "31120",
            "Pharmacist",
            "Community pharmacist",
            "RPh",
            True,
            "Working toward ACP licensure",
            "dispensing, medication review, patient counselling",
        ),
        (
            "32120",
            "Medical laboratory technologist",
            "Medical laboratory technologist",
            "MLT",
            True,
            "Working toward CSMLS certification",
            "haematology, microbiology, quality control",
        ),
        (
            "31202",
            "Physiotherapist",
            "Physiotherapist",
            "PT",
            True,
            "Preparing for the Physiotherapy Competency Exam",
            "rehabilitation, musculoskeletal assessment, exercise therapy",
        ),
    ],
    "careers": [
        (
            "11100",
            "Accountant",
            "Chartered professional accountant",
            "CPA",
            True,
            "Working toward CPA designation",
            "IFRS, audit, tax, financial statements, Excel",
        ),
        (
            "41221",
            "Elementary school teacher",
            "Elementary school teacher",
            "",
            True,
            "Applying for Alberta teaching certification",
            "classroom management, curriculum, literacy",
        ),
        (
            "72200",
            "Electrician",
            "Master electrician",
            "Journeyperson",
            True,
            "Challenging the Red Seal exam",
            "wiring, code compliance, troubleshooting, installations",
        ),
        (
            "80020",
            "Farm manager",
            "Farm operations manager",
            "",
            False,
            "",
            "crop planning, livestock, irrigation, farm machinery, drought farming",
        ),
        (
            "21232",
            "Software developer",
            "Senior software developer",
            "",
            False,
            "",
            "JavaScript, web development, databases, testing",
        ),
        (
            "13100",
            "Administrative officer",
            "Office manager",
            "",
            False,
            "",
            "office administration, scheduling, records, customer service",
        ),
    ],
}

INTERESTS = [
    "hiking",
    "cooking",
    "soccer",
    "reading",
    "volunteering",
    "music",
    "photography",
    "cycling",
    "chess",
    "gardening",
    "travel",
    "community events",
]
CITIES = {
    "prairie-riec": [
        ("Red Deer", "Central Alberta"),
        ("Lacombe", "Central Alberta"),
        ("Sylvan Lake", "Central Alberta"),
        ("Innisfail", "Central Alberta"),
    ],
    "riverbend": [
        ("Riverbend", "Southern Alberta"),
        ("Taber", "Southern Alberta"),
        ("Coaldale", "Southern Alberta"),
    ],
}


def program_kind(program_slug: str) -> str:
    if "health" in program_slug:
        return "health"
    if "engineering" in program_slug:
        return "engineering"
    return "careers"


def demo_mentees(program_slug: str, organization_slug: str, count: int, rng: random.Random) -> list[dict]:
    people = []
    for index in range(count):
        origin = ORIGINS[(index * 7 + len(program_slug)) % len(ORIGINS)]
        first = origin.first_names[index % len(origin.first_names)]
        last = origin.last_names[(index // len(origin.first_names) + index) % len(origin.last_names)]
        code, title, _mentor_title, _designation, regulated, licensing, skills = rng.choice(
            PROFESSIONS[program_kind(program_slug)]
        )
        city, region = rng.choice(CITIES[organization_slug])
        abroad = index % 11 == 5
        people.append(
            {
                "first_name": first,
                "last_name": last,
                "email": _email(first, last, program_slug, index),
                "phone": f"403-555-{rng.randint(1000, 9999)}",
                "city": "" if abroad else city,
                "region": "" if abroad else region,
                "country": origin.country if abroad else "Canada",
                "languages": _mentee_languages(origin, rng),
                "interests": rng.sample(INTERESTS, 3),
                "occupation_code": code,
                "occupation_title": title,
                "years_experience": rng.randint(3, 18),
                "credential_country": origin.country,
                "regulated": regulated,
                "licensing_status": licensing,
                "not_yet_arrived": abroad,
                "arrival_years_ago": rng.randint(0, 3),
                "language_clb": rng.randint(6, 10),
                "skills": skills,
                "origin": origin.country,
            }
        )
    return people


def demo_mentors(program_slug: str, organization_slug: str, count: int, rng: random.Random) -> list[dict]:
    people = []
    for index in range(count):
        first, last = MENTOR_NAMES[(index * 3 + len(program_slug)) % len(MENTOR_NAMES)]
        code, _title, mentor_title, designation, _regulated, _licensing, skills = PROFESSIONS[
            program_kind(program_slug)
        ][index % len(PROFESSIONS[program_kind(program_slug)])]
        city, region = rng.choice(CITIES[organization_slug])
        people.append(
            {
                "first_name": first,
                "last_name": last,
                "email": _email(first, last, program_slug, index, mentor=True),
                "phone": f"587-555-{rng.randint(1000, 9999)}",
                "city": city,
                "region": region,
                "country": "Canada",
                "languages": [("English", "fluent")]
                + ([("French", "professional")] if index % 4 == 0 else []),
                "interests": rng.sample(INTERESTS, 3),
                "occupation_code": code,
                "occupation_title": mentor_title,
                "designation": designation,
                "years_experience": rng.randint(8, 35),
                "is_retired": index % 6 == 0,
                "max_mentees": 1 + (index % 3 == 0),
                "skills": skills,
            }
        )
    return people


def _mentee_languages(origin: Origin, rng: random.Random) -> list[tuple[str, str]]:
    mother_tongue = next(language for language in origin.languages if language != "English")
    return [(mother_tongue, "fluent"), ("English", rng.choice(["professional", "fluent"]))]


def _email(first: str, last: str, program_slug: str, index: int, *, mentor: bool = False) -> str:
    import unicodedata

    name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode()
    name = "".join(ch for ch in name if ch.isalnum() or ch == ".").lower()
    return f"{name}.{'m' if mentor else 'e'}{index}.{program_slug}@people.example"


def resume_pdf(person: dict) -> bytes:
    """A one-page resume, generated so that each demo mentee has a real PDF to open and search."""
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, _latin1(f"{person['first_name']} {person['last_name']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    place = person["city"] or person["country"]
    pdf.cell(
        0, 6, _latin1(f"{person['email']}  |  {person['phone']}  |  {place}"), new_x="LMARGIN", new_y="NEXT"
    )
    where = person.get("credential_country", "Canada")
    sections = [
        (
            "Profile",
            f"{person['occupation_title']} with {person['years_experience']} years of experience "
            f"gained in {where}. {person.get('licensing_status') or person.get('designation', '')}".strip(),
        ),
        ("Skills", person["skills"]),
        (
            "Experience",
            f"{person['occupation_title']}, {where} ({person['years_experience']} years).",
        ),
        ("Languages", ", ".join(f"{language} ({level})" for language, level in person["languages"])),
    ]
    for heading, text in sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, _latin1(text))
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    # The core PDF fonts cover Latin-1 only; names such as "Lucía" fit, others degrade gracefully.
    return text.encode("latin-1", "replace").decode("latin-1")
