"""The assistant's custom actions. Personal data (emails, phone numbers) is masked in everything this
process logs, from its first import on."""

from leads.masking import install_masking

install_masking()
