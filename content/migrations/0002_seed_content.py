"""Seed the public information in Dutch and English (B1 level), from the programme texts
"Samen tegen mensenhandel". Other languages fall back to Dutch until a translator fills them in
the admin. Only public, well-known contact details; no addresses."""

from django.db import migrations

PAGES = [
    {
        "slug": "what-is-human-trafficking",
        "order": 1,
        "nl": {
            "title": "Wat is mensenhandel?",
            "summary": "Iemand wordt gedwongen om te werken of iets te doen, en een ander "
            "verdient eraan.",
            "body": (
                "Bij mensenhandel maakt iemand misbruik van een ander. De ander moet werken of "
                "iets doen en kan niet zelf kiezen. Iemand anders verdient er geld aan. Dat heet "
                "uitbuiting. Mensenhandel is strafbaar in Nederland.\n\n"
                "## Vormen van uitbuiting\n\n"
                "- Seksuele uitbuiting: iemand wordt gedwongen tot sekswerk.\n"
                "- Arbeidsuitbuiting: iemand werkt heel lang voor weinig of geen geld, en kan "
                "niet weg.\n"
                "- Criminele uitbuiting: iemand wordt gedwongen om drugs te vervoeren, te stelen "
                "of fraude te plegen.\n"
                "- Gedwongen orgaanverwijdering: iemand wordt gedwongen een orgaan af te staan.\n\n"
                "## Slachtoffers zien het zelf vaak niet\n\n"
                "Mensenhandel heeft veel vormen. Soms is het moeilijk om te zien of iemand wordt "
                "uitgebuit. Slachtoffers zien zichzelf ook niet altijd als slachtoffer. Twijfel "
                "je? Meld het toch. Wij kijken samen met hulpverleners wat er nodig is."
            ),
        },
        "en": {
            "title": "What is human trafficking?",
            "summary": "Someone is forced to work or to do something, and another person makes "
            "money from it.",
            "body": (
                "In human trafficking, someone takes advantage of another person. That person "
                "has to work or do something and cannot choose freely. Someone else makes money "
                "from it. This is called exploitation. Human trafficking is a crime in the "
                "Netherlands.\n\n"
                "## Forms of exploitation\n\n"
                "- Sexual exploitation: someone is forced into sex work.\n"
                "- Labour exploitation: someone works very long hours for little or no money, "
                "and cannot leave.\n"
                "- Criminal exploitation: someone is forced to carry drugs, to steal or to commit "
                "fraud.\n"
                "- Forced organ removal: someone is forced to give up an organ.\n\n"
                "## Victims often do not see it themselves\n\n"
                "Human trafficking has many forms. Sometimes it is hard to see if someone is "
                "being exploited. Victims do not always see themselves as victims. Not sure? "
                "Report it anyway. We look at what is needed, together with care workers."
            ),
        },
    },
    {
        "slug": "after-you-report",
        "order": 2,
        "nl": {
            "title": "Wat gebeurt er na je melding?",
            "summary": "Een zorgcoördinator in de regio leest je melding en zorgt dat hulp op "
            "gang komt.",
            "body": (
                "Je melding komt bij de zorgcoördinator mensenhandel van de regio waar het "
                "gebeurt. Gebeurt het in het buitenland, online of weet je niet waar? Dan komt je "
                "melding bij de landelijke desk.\n\n"
                "## Wat de zorgcoördinator doet\n\n"
                "- Leest je melding en kijkt hoe dringend het is.\n"
                "- Zorgt dat een slachtoffer snel passende hulp en een veilige plek krijgt.\n"
                "- Werkt samen met hulpverlening en, als het slachtoffer dat wil, met de "
                "politie.\n\n"
                "## Je blijft anoniem als je dat wilt\n\n"
                "Je hoeft je naam niet te geven. Na het melden krijg je een code. Met die code "
                "kun je later zien wat er met je melding gebeurt en berichten sturen. Schrijf de "
                "code op en bewaar hem goed.\n\n"
                "## Aangifte is niet nodig\n\n"
                "Een melding is geen aangifte bij de politie. Ook als een slachtoffer geen "
                "aangifte wil doen, kan hulp beginnen. Meldingen helpen ook om verbanden te zien "
                "en daders aan te pakken."
            ),
        },
        "en": {
            "title": "What happens after you report?",
            "summary": "A care coordinator in the region reads your report and makes sure help "
            "gets started.",
            "body": (
                "Your report goes to the care coordinator for human trafficking in the region "
                "where it happens. Does it happen abroad, online, or do you not know where? Then "
                "your report goes to the national desk.\n\n"
                "## What the care coordinator does\n\n"
                "- Reads your report and looks at how urgent it is.\n"
                "- Makes sure a victim quickly gets the right help and a safe place.\n"
                "- Works together with care workers and, if the victim wants this, with the "
                "police.\n\n"
                "## You stay anonymous if you want\n\n"
                "You do not have to give your name. After reporting you get a code. With that "
                "code you can later see what happens with your report and send messages. Write "
                "the code down and keep it safe.\n\n"
                "## You do not need to go to the police\n\n"
                "A report is not a police report. Help can start even when a victim does not "
                "want to go to the police. Reports also help to see connections and to stop "
                "offenders."
            ),
        },
    },
    {
        "slug": "where-to-get-help",
        "order": 3,
        "nl": {
            "title": "Waar krijg je hulp?",
            "summary": "Bij direct gevaar bel je 112. Voor hulp en advies kun je terecht bij "
            "deze organisaties.",
            "body": (
                "Ben je in direct gevaar, of iemand anders? Bel dan meteen 112.\n\n"
                "Slachtoffers van mensenhandel hebben recht op hulp en een veilige plek om te "
                "wonen. In elke regio is een zorgcoördinator mensenhandel. Die zorgt dat hulp en "
                "opvang snel beschikbaar zijn.\n\n"
                "Op de pagina Hulp vind je organisaties in heel Nederland en in jouw regio."
            ),
        },
        "en": {
            "title": "Where can you get help?",
            "summary": "In immediate danger, call 112. For help and advice you can contact these "
            "organisations.",
            "body": (
                "Are you or someone else in immediate danger? Call 112 right away.\n\n"
                "Victims of human trafficking have a right to help and a safe place to stay. "
                "Every region has a care coordinator for human trafficking, who makes sure help "
                "and shelter are available quickly.\n\n"
                "On the Help page you find organisations for all of the Netherlands and for your "
                "region."
            ),
        },
    },
]

CONTACTS = [
    {
        "order": 1,
        "phone": "112",
        "website": "",
        "nl": (
            "Alarmnummer 112",
            "Bij direct gevaar: politie, ambulance of brandweer.",
            "Dag en nacht",
        ),
        "en": (
            "Emergency number 112",
            "In immediate danger: police, ambulance or fire brigade.",
            "Day and night",
        ),
    },
    {
        "order": 2,
        "phone": "0900 8844",
        "website": "https://www.politie.nl/",
        "nl": ("Politie", "Geen spoed, wel politie nodig? Bijvoorbeeld om aangifte te doen.", ""),
        "en": ("Police", "No emergency, but you need the police? For example to report a crime.", ""),
    },
    {
        "order": 3,
        "phone": "0800 7000",
        "website": "https://www.meldmisdaadanoniem.nl/",
        "nl": ("Meld Misdaad Anoniem", "Vertel wat je weet over een misdaad, zonder je naam.", ""),
        "en": (
            "Meld Misdaad Anoniem (Report Crime Anonymously)",
            "Tell what you know about a crime, without giving your name.",
            "",
        ),
    },
    {
        "order": 4,
        "phone": "0900 0101",
        "website": "https://www.slachtofferhulp.nl/",
        "nl": (
            "Slachtofferhulp Nederland",
            "Gratis hulp en advies voor slachtoffers van een misdrijf.",
            "",
        ),
        "en": (
            "Slachtofferhulp Nederland (Victim Support Netherlands)",
            "Free help and advice for victims of a crime.",
            "",
        ),
    },
    {
        "order": 5,
        "phone": "0800 2000",
        "website": "https://veiligthuis.nl/",
        "nl": (
            "Veilig Thuis",
            "Advies en hulp bij huiselijk geweld en kindermishandeling, ook als je twijfelt.",
            "Dag en nacht",
        ),
        "en": (
            "Veilig Thuis (Safe at Home)",
            "Advice and help with domestic violence and child abuse, also when you are not sure.",
            "Day and night",
        ),
    },
    {
        "order": 6,
        "phone": "",
        "website": "https://www.comensha.nl/",
        "nl": (
            "CoMensha",
            "Landelijk coördinatiecentrum tegen mensenhandel. Helpt slachtoffers aan opvang en "
            "hulp.",
            "",
        ),
        "en": (
            "CoMensha",
            "National coordination centre against human trafficking. Helps victims find shelter "
            "and care.",
            "",
        ),
    },
    {
        "order": 7,
        "phone": "",
        "website": "https://www.fier.nl/",
        "nl": (
            "Fier",
            "Expertisecentrum voor hulp bij geweld in afhankelijkheidsrelaties en mensenhandel.",
            "",
        ),
        "en": (
            "Fier",
            "Centre of expertise for help with violence in relationships of dependency and human "
            "trafficking.",
            "",
        ),
    },
]


def seed(apps, schema_editor):
    ContentPage = apps.get_model("content", "ContentPage")
    HelpContact = apps.get_model("content", "HelpContact")
    for page in PAGES:
        fields = {"order": page["order"], "is_published": True}
        for field in ("title", "summary", "body"):
            fields[field] = page["nl"][field]
            fields[f"{field}_nl"] = page["nl"][field]
            fields[f"{field}_en"] = page["en"][field]
        ContentPage.objects.update_or_create(slug=page["slug"], defaults=fields)
    for contact in CONTACTS:
        fields = {
            "order": contact["order"],
            "phone": contact["phone"],
            "website": contact["website"],
            "is_published": True,
        }
        for index, field in enumerate(("name", "description", "opening_hours")):
            fields[field] = contact["nl"][index]
            fields[f"{field}_nl"] = contact["nl"][index]
            fields[f"{field}_en"] = contact["en"][index]
        if not HelpContact.objects.filter(region=None, name_nl=fields["name_nl"]).exists():
            HelpContact.objects.create(**fields)


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
