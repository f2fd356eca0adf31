from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Give a staff member an authenticator-app (TOTP) device and print the link to scan or type in."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator app", help="What to call the device.")

    def handle(self, username, name, **options):
        try:
            user = get_user_model().objects.get(username=username, is_staff=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No staff member named {username!r}.") from None
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write("Add this to the authenticator app (as a QR code or by typing the secret):")
        self.stdout.write(device.config_url)
