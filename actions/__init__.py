"""The assistant's custom actions. From the first import on, personal data (emails, phone numbers) is
masked in everything this process logs, every action is bounded in time and answers with an
apology rather than failing silently (fault_guard), and the first reply of a conversation says it is not
immigration advice (first_reply). The booking's city index is built here, at start-up:
built on first use it held every conversation's actions for 2-3 s (make bench)."""

from actions.fault_guard import install as install_fault_guard
from actions.first_reply import install as install_not_advice_notice
from leads.masking import install_masking
from leads.places import preload

install_masking()
install_fault_guard()
install_not_advice_notice()
preload()
