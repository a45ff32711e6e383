import json
import os

from django.core.management.base import BaseCommand, CommandError

from access.roles import privacy_officer_organisations
from accounts.models import User
from privacy.selectors import find_subject
from privacy.subject_forms import SubjectSearchForm
from privacy.subject_services import export_subject, record_subject_search


class Command(BaseCommand):
    help = (
        "Find what an organisation holds on a person (a data-subject request that came by post) "
        "and optionally export it as JSON; logged in the access log as on the portal's page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--by", required=True, help="e-mail of the privacy officer acting")
        parser.add_argument(
            "--organisation", help="name of the organisation (if the officer serves several)"
        )
        parser.add_argument("--reference", required=True, help="the request's own number")
        parser.add_argument(
            "--purpose",
            required=True,
            choices=[code for code, _label in SubjectSearchForm.PURPOSES],
        )
        parser.add_argument("--name", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--receipt-code", default="")
        parser.add_argument("--export", metavar="FILE", help="write the export as JSON to FILE")

    def handle(self, *args, **options):
        user = User.objects.filter(email__iexact=options["by"], is_active=True).first()
        organisations = privacy_officer_organisations(user) if user else None
        if not organisations:
            raise CommandError("No active privacy officer with that e-mail address.")
        if options["organisation"]:
            organisations = organisations.filter(name=options["organisation"])
        if organisations.count() != 1:
            raise CommandError("Name the organisation with --organisation.")
        form = SubjectSearchForm(
            {
                "organisation": organisations.get().public_id,
                "reference": options["reference"],
                "purpose": options["purpose"],
                "name": options["name"],
                "phone": options["phone"],
                "email": options["email"],
                "receipt_code": options["receipt_code"],
            },
            user=user,
        )
        if not form.is_valid():
            raise CommandError(
                "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            )
        organisation = form.cleaned_data["organisation"]
        reference, purpose = form.cleaned_data["reference"], form.cleaned_data["purpose"]
        matches = find_subject(organisation, **form.identifiers())
        record_subject_search(
            by=user,
            organisation=organisation,
            reference=reference,
            purpose=purpose,
            kinds=form.kinds(),
            matches=matches,
        )
        for match in matches:
            found_as = ["reporter"] if match.is_reporter else []
            found_as += [m.person.get_role_display() for m in match.persons]
            self.stdout.write(
                f"{match.signal.public_id}  {match.signal.status}  "
                f"found by {', '.join(sorted(match.kinds()))}  as {', '.join(found_as)}"
            )
        self.stdout.write(f"{len(matches)} signals found")
        if options["export"] and matches:
            data = export_subject(
                matches, by=user, organisation=organisation, reference=reference, purpose=purpose
            )
            # Readable by the owner only: it holds everything on a person.
            descriptor = os.open(options["export"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)  # also when the file was there already
            with open(descriptor, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False, indent=2)
            self.stdout.write(f"export written to {options['export']}")
