"""Event categories as people read them, in the page's language.

The categories are Mobilizon's (fedchapter.events.model.CATEGORY_LABELS keeps
its English names for the iCalendar feed and federation); pages name them
here, keyed by the category's code, so each is a gettext message.
"""
from __future__ import annotations

from typing import Any

import jinja2

from fedchapter.events.model import CATEGORY_LABELS
from web.i18n import N_, translations_for

CATEGORY_NAMES: dict[str, str] = {
    "ARTS": N_("Arts"),
    "BOOK_CLUBS": N_("Book clubs"),
    "BUSINESS": N_("Business"),
    "CAUSES": N_("Causes"),
    "COMEDY": N_("Comedy"),
    "CRAFTS": N_("Crafts"),
    "FOOD_DRINK": N_("Food & Drink"),
    "HEALTH": N_("Health"),
    "MUSIC": N_("Music"),
    "AUTO_BOAT_AIR": N_("Auto, boat and air"),
    "COMMUNITY": N_("Community"),
    "FAMILY_EDUCATION": N_("Family & Education"),
    "FASHION_BEAUTY": N_("Fashion & Beauty"),
    "FILM_MEDIA": N_("Film & Media"),
    "GAMES": N_("Games"),
    "LANGUAGE_CULTURE": N_("Language & Culture"),
    "LEARNING": N_("Learning"),
    "LGBTQ": N_("LGBTQ"),
    "MOVEMENTS_POLITICS": N_("Movements and politics"),
    "NETWORKING": N_("Networking"),
    "PARTY": N_("Party"),
    "PERFORMING_VISUAL_ARTS": N_("Performing & Visual Arts"),
    "PETS": N_("Pets"),
    "PHOTOGRAPHY": N_("Photography"),
    "OUTDOORS_ADVENTURE": N_("Outdoors & Adventure"),
    "SPIRITUALITY_RELIGION_BELIEFS": N_("Spirituality, Religion & Beliefs"),
    "SCIENCE_TECH": N_("Science & Tech"),
    "SPORTS": N_("Sports"),
    "THEATRE": N_("Theatre"),
    "MEETING": N_("Meeting"),
}


def category_name(code: str, language: str) -> str:
    message = CATEGORY_NAMES.get(code) or CATEGORY_LABELS.get(code) or code
    return translations_for(language).gettext(message)


def categories_for(language: str) -> list[tuple[str, str]]:
    """Every category, (code, name), in the order of the names as read."""
    return sorted(((code, category_name(code, language)) for code in CATEGORY_LABELS), key=lambda item: item[1])


@jinja2.pass_context
def category_filter(context: Any, code: str) -> str:
    return category_name(code, context.get("language", "en"))
