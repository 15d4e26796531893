"""wagtail-modeladmin's strings that have no Indonesian translation for ``LANGUAGE_CODE = "id"``.

wagtail-modeladmin ships its Indonesian catalogue as ``id_ID``, which Django never loads for the language
``id``; its templates' strings would show in English on the desk. Listed here (never called) so that
``makemessages`` puts them in this app's catalogue, which Django consults for every template.
"""

from django.utils.translation import gettext_noop

MODELADMIN_MESSAGES = (
    gettext_noop("By %(filter_title)s"),
    gettext_noop("%(result_count)s out of %(all_count)s"),
    gettext_noop("Back to %(model_name)s list"),
    gettext_noop("No %(name)s have been created yet."),
    gettext_noop("%(model_name)s could not be deleted"),
    gettext_noop("Page %(page_num)s of %(total_pages)s."),
)
