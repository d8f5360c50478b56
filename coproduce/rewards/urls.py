from django.urls import path

from coproduce.rewards import views

app_name = "rewards"

urlpatterns = [
    path("", views.home, name="home"),
    path("policy/", views.policy, name="policy"),
    path("policy/new/", views.policy_new, name="policy_new"),
    path("offers/<int:project_pk>/", views.offer_detail, name="offer"),
    path("offers/<int:project_pk>/edit/", views.offer_edit, name="offer_edit"),
    path("choices/", views.choices, name="choices"),
    path("people/<int:person_pk>/", views.person_rewards, name="person"),
    path("people/<int:person_pk>/choice/", views.person_choice, name="person_choice"),
    path("people/<int:person_pk>/expenses/new/", views.expense_new, name="expense_new"),
    path("receipts/<int:claim_pk>/", views.receipt, name="receipt"),
    path("review/", views.review, name="review"),
    path("accrue/", views.accrue, name="accrue"),
    path("approve/<str:category>/", views.approve, name="approve"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/paid/", views.batch_paid, name="batch_paid"),
    path("batches/<int:pk>/bank.csv", views.batch_bank_csv, name="batch_bank_csv"),
    path("batches/<int:pk>/bank.xlsx", views.batch_bank_xlsx, name="batch_bank_xlsx"),
    path("batches/<int:pk>/vouchers.csv", views.batch_vouchers_csv, name="batch_vouchers_csv"),
    path("lines/<int:pk>/correct/", views.line_correct, name="line_correct"),
    path("mine/", views.mine, name="mine"),
    path("mine/choice/", views.mine_choice, name="mine_choice"),
    path("mine/expenses/new/", views.mine_expense, name="mine_expense"),
    path("mine/summary/<int:year>/", views.mine_summary, name="mine_summary"),
]
