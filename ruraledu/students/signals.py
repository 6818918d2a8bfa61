from django.dispatch import Signal

# A transfer confirmed: the pupil's enrolment is now the receiving school's. Sent inside the
# confirm's transaction with `transfer` and `actor`: the work that follows the child (a
# 学困生 file left at the former school, an open 控辍保学 case there) is told from here.
transfer_confirmed = Signal()
