# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hub.accounts.models import User

admin.site.register(User, UserAdmin)
